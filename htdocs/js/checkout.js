/*
 * checkout.html: the cart, the delivery details and the card; POST /orders.
 * The address and phone start as the profile's (GET /auth/me); changed,
 * they are for this order only, unless "save to my profile" is ticked:
 * then PATCH /auth/me first (a refusal there stops before paying).
 * Before paying it shows the items, the store's delivery fee and their
 * sum (what is charged), and pays nothing while the store is closed or
 * paused or the items are below its minimum.
 * 201 -> the order page; 402 declined and 503 payment busy are friendly
 * messages with a retry.  One Idempotency-Key per distinct request: a
 * retry of the same request (after a 503 or a lost answer) reuses it, so
 * nothing is ever charged twice.
 */
'use strict';

(async () => {
	const { el, bi, clear, $, api, say, sayError, won, cart, renderWho,
	    storeOpen, storeState, storeTerms } = FD;
	const msg = $('#msg');
	const result = $('#result');
	const pay = $('#pay');
	let idem = { body: '', key: '' };
	let countdown = null;

	const c = cart.get();
	const summary = $('#summary');
	for (const l of c.lines)
		summary.appendChild(el('tr', { dataset: { menuId: l.menuId } },
		    el('td', { text: l.name }),
		    el('td', { className: 'num', text: l.qty }),
		    el('td', { className: 'num', text: won(l.price * l.qty) })));
	const items = cart.total(c);
	let fee = 0;
	$('#sum-items').textContent = won(items);
	$('#sum-total').textContent = won(items);
	if (c.storeName)
		$('#sum-store').textContent = c.storeName;
	if (c.storeId)
		$('#edit-cart').href = '/store.html?id=' + c.storeId;

	const m = await renderWho();
	if (!m) {
		location.replace(FD.loginHref());
		return;
	}
	if (m.role !== 'customer') {
		say(msg, 'warn', '고객 계정으로 로그인해야 주문할 수 있습니다.',
		    'Log in with a customer account to order.');
		pay.disabled = true;
		return;
	}
	if (!c.lines.length) {
		say(msg, 'info', '장바구니가 비어 있습니다. 가게에서 메뉴를 담아 주세요.',
		    'Your cart is empty; pick something from a store first.');
		pay.disabled = true;
		return;
	}

	/* The profile's address and phone, as the server would use them. */
	if (!$('#address').value && m.address)
		$('#address').value = m.address;
	if (!$('#phone').value && m.phone)
		$('#phone').value = m.phone;
	const profile = { address: m.address || '', phone: m.phone || '' };

	/* Offered only when what is typed differs from the profile. */
	function offerSave() {
		const differs = $('#address').value.trim() !== profile.address ||
		    $('#phone').value.trim() !== profile.phone;
		$('#save-field').hidden = !differs;
		if (!differs)
			$('#save-profile').checked = false;
	}
	$('#address').addEventListener('input', offerSave);
	$('#phone').addEventListener('input', offerSave);
	offerSave();

	/* PATCH /auth/me with what changed; true when saved (or nothing to). */
	async function saveProfile(body) {
		const patch = {};
		if (body.address && body.address !== profile.address)
			patch.address = body.address;
		if (body.phone && body.phone !== profile.phone)
			patch.phone = body.phone;
		if (!Object.keys(patch).length)
			return true;
		const r = await api('PATCH', '/auth/me', patch);
		if (r.ok && r.data) {
			profile.address = r.data.address || '';
			profile.phone = r.data.phone || '';
			$('#save-profile').checked = false;
			offerSave();
			return true;
		}
		if (r.status === 400) {
			mark(['#address', '#phone'], true);
			say(result, 'error', '내 정보에 저장할 수 없는 주소나 연락처입니다. 결제하지 않았습니다.',
			    'That address or phone cannot be saved to your profile; nothing was paid.',
			    r.error && r.error.message);
		} else {
			sayError(result, r);
		}
		result.focus();
		return false;
	}

	/* The store now: open?  Its fee and minimum (the server decides). */
	const sr = await api('GET', '/stores');
	const store = sr.ok && sr.data && Array.isArray(sr.data.stores) &&
	    sr.data.stores.find((x) => x.storeId === c.storeId);
	if (store) {
		fee = store.deliveryFee || 0;
		$('#sum-fee').textContent = won(fee);
		$('#sum-total').textContent = won(items + fee);
		const ops = clear($('#sum-ops'));
		ops.appendChild(storeState(store));
		ops.appendChild(storeTerms(store));
		if (!storeOpen(store)) {
			say(msg, 'warn', '지금은 주문을 받지 않는 가게입니다. 영업을 다시 시작하면 주문해 주세요.',
			    'This store is not taking orders right now; please order once it is open again.',
			    store.closedReason);
			pay.disabled = true;
		} else if (items < (store.minOrder || 0)) {
			say(msg, 'warn', '최소 주문 금액(' + won(store.minOrder) +
			    ')보다 적습니다. 메뉴를 더 담아 주세요.',
			    'The items are below the minimum order of ' +
			    won(store.minOrder) + '; please add more.');
			pay.disabled = true;
		}
	}

	function newKey() {
		const b = new Uint8Array(16);
		crypto.getRandomValues(b);
		return 'web-' + Array.from(b, (x) => x.toString(16).padStart(2,
		    '0')).join('');
	}

	function request() {
		const body = {
			storeId: c.storeId,
			items: c.lines.map((l) => ({ menuId: l.menuId, qty: l.qty })),
			card: $('#card').value.trim(),
		};
		const address = $('#address').value.trim();
		const phone = $('#phone').value.trim();
		if (address)
			body.address = address;
		if (phone)
			body.phone = phone;
		return body;
	}

	function stopCountdown() {
		if (countdown) {
			clearInterval(countdown);
			countdown = null;
		}
	}

	function retryButton(seconds) {
		const b = el('button', { type: 'button', id: 'retry',
		    className: 'go', onclick: () => submit() });
		let left = seconds;
		const label = () => {
			clear(b);
			b.appendChild(bi('다시 결제하기', 'Pay again'));
			if (left > 0)
				b.appendChild(document.createTextNode(' (' + left + ')'));
			b.disabled = left > 0;
		};
		label();
		stopCountdown();
		if (left > 0)
			countdown = setInterval(() => {
				left--;
				label();
				if (left <= 0)
					stopCountdown();
			}, 1000);
		return el('div', { className: 'actions' }, b);
	}

	function mark(ids, bad) {
		for (const id of ids)
			$(id).setAttribute('aria-invalid', bad ? 'true' : 'false');
	}

	async function submit() {
		stopCountdown();
		const body = request();
		const digits = body.card.replace(/[ -]/g, '');
		if (!/^[0-9]{12,19}$/.test(digits)) {
			mark(['#card'], true);
			say(result, 'error', '카드 번호는 12~19자리 숫자입니다.',
			    'A card number is 12 to 19 digits.');
			$('#card').focus();
			return;
		}
		mark(['#card', '#address', '#phone'], false);
		if ($('#save-profile').checked && !(await saveProfile(body)))
			return;
		const text = JSON.stringify(body);
		if (idem.body !== text)
			idem = { body: text, key: newKey() };
		pay.disabled = true;
		const retry = $('#retry');
		if (retry)
			retry.disabled = true;
		say(result, 'info', '결제 중입니다…', 'Paying…');
		result.setAttribute('aria-busy', 'true');
		const r = await api('POST', '/orders', body,
		    { 'Idempotency-Key': idem.key });
		result.removeAttribute('aria-busy');
		pay.disabled = false;
		if (r.status === 201 && r.data && r.data.orderId) {
			say(result, 'ok', '결제 완료! 주문 페이지로 이동합니다.',
			    'Paid! Opening your order…');
			cart.clear();
			location.href = '/order.html?id=' + encodeURIComponent(
			    r.data.orderId) + '&placed=1';
			return;
		}
		if (r.status === 402) {
			say(result, 'error', '카드 결제가 거절되었습니다. 주문은 접수되지 않았고 청구된 금액도 없습니다. 다른 카드로 다시 결제해 주세요.',
			    'Your card was declined. No order was placed and nothing was charged; please try another card.');
			mark(['#card'], true);
			$('#card').focus();
			$('#card').select();
		} else if (r.status === 503) {
			const s = Math.min(60, Math.max(1,
			    parseInt(r.retryAfter, 10) || 5));
			say(result, 'warn', '결제 서비스가 잠시 혼잡합니다. 잠시 후 다시 결제해 주세요. 이번 시도는 청구되지 않았습니다.',
			    'Payment is busy right now. Please pay again in a few seconds; this attempt was not charged.')
			    .appendChild(retryButton(s));
		} else if (r.status === 0) {
			say(result, 'warn', '결제 결과를 확인하지 못했습니다. 다시 결제해도 두 번 청구되지 않습니다.',
			    'We could not confirm the payment. Paying again will not charge you twice.')
			    .appendChild(retryButton(0));
		} else if (r.status === 409 && r.error &&
		    r.error.code === 'store_closed') {
			say(result, 'error', '지금은 주문을 받지 않는 가게입니다. 결제되지 않았습니다.',
			    'This store is not taking orders right now; nothing was charged.',
			    r.error.closedReason);
			pay.disabled = true;
		} else if (r.status === 409 && r.error &&
		    r.error.code === 'below_minimum') {
			say(result, 'error', '최소 주문 금액(' +
			    won(r.error.minOrder || 0) + ')보다 적습니다. 결제되지 않았습니다.',
			    'The items are below the minimum order of ' +
			    won(r.error.minOrder || 0) + '; nothing was charged.');
		} else if (r.status === 409) {
			const box = say(result, 'error', '품절되었거나 더 이상 판매하지 않는 메뉴가 있습니다. 장바구니를 확인해 주세요.',
			    'An item is sold out or no longer on the menu; please check your cart.',
			    r.error && r.error.message);
			box.appendChild(el('div', { className: 'actions' },
			    el('a', { className: 'btn secondary',
				href: '/store.html?id=' + c.storeId },
				bi('메뉴로 돌아가기', 'Back to the menu'))));
		} else if (r.status === 401) {
			location.replace(FD.loginHref());
			return;
		} else if (r.status === 400 && r.error &&
		    /address|phone/i.test(r.error.message || '')) {
			mark(['#address', '#phone'], true);
			say(result, 'error', '배달 주소와 연락처를 확인해 주세요.',
			    'Please check the delivery address and phone.',
			    r.error.message);
			$('#address').focus();
		} else if (r.status === 400) {
			say(result, 'error', '입력한 내용을 확인해 주세요.',
			    'Please check what you entered.', r.error && r.error.message);
		} else {
			sayError(result, r);
		}
		result.focus();
	}

	$('#checkout-form').addEventListener('submit', (ev) => {
		ev.preventDefault();
		submit();
	});
	pay.appendChild(document.createTextNode(' · ' + won(items + fee)));
})();
