/* login.html: customers (and owners) log in; the cookie does the rest. */
'use strict';

(() => {
	const { $, api, say, sayError, safeNext, renderWho } = FD;
	renderWho();
	const msg = $('#msg');
	const signed = sessionStorage.getItem('fd_signup_email');
	if (signed) {
		sessionStorage.removeItem('fd_signup_email');
		$('#email').value = signed;
		say(msg, 'ok', '가입이 완료되었습니다. 로그인해 주세요.',
		    'Your account is ready; please log in.');
		$('#password').focus();
	}
	$('#login-form').addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const btn = $('#login-submit');
		btn.disabled = true;
		say(msg, 'info', '로그인 중…', 'Logging in…');
		const r = await api('POST', '/auth/login', {
			email: $('#email').value.trim(),
			password: $('#password').value,
		});
		btn.disabled = false;
		if (r.status === 401 || r.status === 400) {
			say(msg, 'error', '이메일 또는 비밀번호가 맞지 않습니다.',
			    'Wrong email or password.');
			$('#password').select();
			return;
		}
		if (!r.ok) {
			sayError(msg, r);
			return;
		}
		const role = r.data && r.data.role;
		location.href = safeNext(FD.param('next'),
		    role === 'owner' ? '/admin.html' : '/index.html');
	});
})();
