/*
 * profile.html: the customer's name, phone and address (GET /auth/me),
 * changed with PATCH /auth/me.  The page checks what signup's rules check
 * (auth_domain.c) before sending, so a mistake is shown at once; the
 * server checks again and its 400 is shown as it says it.  Only what
 * changed is sent; nothing changed, nothing is sent.
 */
'use strict';

(async () => {
	const { $, api, say, sayError, renderWho } = FD;
	const msg = $('#msg');
	const form = $('#profile-form');
	const fields = ['name', 'phone', 'address'];

	const m = await renderWho();
	if (!m) {
		location.replace(FD.loginHref());
		return;
	}
	if (m.role !== 'customer') {
		say(msg, 'info', '고객 계정의 정보만 여기서 바꿀 수 있습니다.',
		    'Only a customer account has a profile to change here.');
		return;
	}
	let saved = m;
	function show(p) {
		$('#email').textContent = p.email || '';
		for (const f of fields)
			$('#' + f).value = p[f] || '';
	}
	show(saved);
	form.hidden = false;

	/* Characters, as the server counts them (code points). */
	const chars = (s) => Array.from(s).length;
	/* Text: something besides spaces, no control characters. */
	const text = (s, max) => chars(s) >= 1 && chars(s) <= max &&
	    /[^ ]/.test(s) && !/[\u0000-\u001f\u007f]/.test(s);
	/* 8 to 15 digits, + first, - or space only after a digit, ending in one. */
	function phoneOk(p) {
		const digits = (p.match(/[0-9]/g) || []).length;
		return /^\+?[0-9]([0-9]|[- ](?=[0-9]))*$/.test(p) &&
		    digits >= 8 && digits <= 15 && p.length <= 20;
	}
	const rules = {
		name: [(v) => text(v, 60), '이름은 1~60자입니다.',
		    'A name is 1 to 60 characters.'],
		phone: [phoneOk, '전화번호는 숫자 8~15자리입니다 (+, - 사용 가능).',
		    'A phone is 8 to 15 digits (+ and - allowed).'],
		address: [(v) => text(v, 200), '주소는 1~200자입니다.',
		    'An address is 1 to 200 characters.'],
	};

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const patch = {};
		for (const f of fields) {
			const v = $('#' + f).value.trim();
			const [ok, ko, en] = rules[f];
			$('#' + f).setAttribute('aria-invalid', ok(v) ? 'false' : 'true');
			if (!ok(v)) {
				say(msg, 'error', ko, en);
				$('#' + f).focus();
				return;
			}
			if (v !== (saved[f] || ''))
				patch[f] = v;
		}
		if (!Object.keys(patch).length) {
			say(msg, 'info', '바뀐 내용이 없습니다.', 'Nothing changed.');
			return;
		}
		const btn = $('#profile-save');
		btn.disabled = true;
		say(msg, 'info', '저장 중…', 'Saving…');
		const r = await api('PATCH', '/auth/me', patch);
		btn.disabled = false;
		if (r.ok && r.data) {
			saved = r.data;
			show(saved);
			say(msg, 'ok', '저장했습니다. 다음 주문부터 이 정보로 배달합니다.',
			    'Saved. Your next orders go to these details.');
			/* The header says the new name. */
			FD.me(true);
			renderWho();
		} else if (r.status === 401) {
			location.replace(FD.loginHref());
			return;
		} else if (r.status === 400) {
			say(msg, 'error', '입력한 내용을 확인해 주세요.',
			    'Please check what you entered.',
			    r.error && r.error.message);
		} else {
			sayError(msg, r);
		}
		msg.focus();
	});
})();
