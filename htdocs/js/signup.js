/* signup.html: a customer account; then on to log in. */
'use strict';

(() => {
	const { $, api, say, sayError, renderWho } = FD;
	renderWho();
	const msg = $('#msg');
	$('#signup-form').addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const btn = $('#signup-submit');
		const body = {
			email: $('#email').value.trim(),
			password: $('#password').value,
			name: $('#name').value.trim(),
			phone: $('#phone').value.trim(),
			address: $('#address').value.trim(),
		};
		btn.disabled = true;
		say(msg, 'info', '가입 중…', 'Creating your account…');
		const r = await api('POST', '/auth/signup', body);
		btn.disabled = false;
		if (r.status === 409) {
			say(msg, 'error', '이미 가입된 이메일입니다.',
			    'An account with this email already exists.');
			return;
		}
		if (r.status === 400) {
			say(msg, 'error', '입력한 내용을 확인해 주세요.',
			    'Please check what you entered.',
			    r.error && r.error.message);
			return;
		}
		if (!r.ok) {
			sayError(msg, r);
			return;
		}
		sessionStorage.setItem('fd_signup_email', body.email);
		const next = FD.param('next');
		location.href = '/login.html' + (next ? '?next=' +
		    encodeURIComponent(next) : '');
	});
})();
