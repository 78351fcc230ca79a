/*
 * admin_store.js - the owner's store controls on admin.html: open or
 * close the store, pause it for 15, 30 or 60 minutes with a reason the
 * customers see, and set the minimum order and the delivery fee (PATCH
 * /stores/{id}).  Starts when admin.js has the owner ('fd:owner').
 */
'use strict';

(() => {
	const { clear, $, api, say, sayError, won, storeState, storeTerms } = FD;
	let storeId = 0;
	let store = null;

	function render(s) {
		store = s;
		const now = clear($('#store-now'));
		now.appendChild(storeState(s));
		now.appendChild(storeTerms(s));
		$('#store-open').disabled = s.state === 'open';
		$('#store-close').disabled = s.state === 'closed';
		if (document.activeElement !== $('#store-min'))
			$('#store-min').value = String(s.minOrder || 0);
		if (document.activeElement !== $('#store-fee'))
			$('#store-fee').value = String(s.deliveryFee || 0);
	}

	async function load() {
		const r = await api('GET', '/stores');
		const s = r.ok && r.data && Array.isArray(r.data.stores) &&
		    r.data.stores.find((x) => x.storeId === storeId);
		if (s)
			render(s);
		else
			sayError($('#store-saved'), r);
	}

	/* One change; the answer is the store as it now is. */
	async function patch(body, done) {
		const box = $('#store-saved');
		const buttons = document.querySelectorAll('#store-ops button');
		for (const b of buttons)
			b.disabled = true;
		const r = await api('PATCH', '/stores/' + storeId, body);
		for (const b of buttons)
			b.disabled = false;
		if (r.ok && r.data) {
			render(r.data);
			say(box, 'ok', done[0], done[1]);
			return true;
		}
		if (store)
			render(store);
		if (r.status === 400)
			say(box, 'error', '입력한 내용을 확인해 주세요.',
			    'Please check what you entered.',
			    r.error && r.error.message);
		else
			sayError(box, r);
		return false;
	}

	function reason() {
		const v = $('#store-reason').value.trim();
		return v ? { closedReason: v } : {};
	}

	$('#store-open').addEventListener('click', () => patch({ open: true },
	    ['가게를 열었습니다. 주문을 받습니다.', 'The store is open.']));
	$('#store-close').addEventListener('click', () => patch(Object.assign(
	    { open: false }, reason()), ['가게를 닫았습니다. 주문을 받지 않습니다.',
	    'The store is closed.']));
	for (const b of document.querySelectorAll('#store-ops button.pause'))
		b.addEventListener('click', () => {
			const min = Number(b.dataset.minutes);
			const until = new Date(Date.now() + min * 60000);
			patch(Object.assign({ pausedUntil: until.toISOString()
			    .replace(/\.\d+Z$/, 'Z') }, reason()),
			    [min + '분 동안 주문을 받지 않습니다.',
			    'Paused for ' + min + ' minutes.']);
		});
	$('#store-terms').addEventListener('submit', (ev) => {
		ev.preventDefault();
		const min = Number($('#store-min').value);
		const fee = Number($('#store-fee').value);
		const okMin = Number.isInteger(min) && min >= 0 && min <= 1000000;
		const okFee = Number.isInteger(fee) && fee >= 0 && fee <= 100000;
		$('#store-min').setAttribute('aria-invalid', okMin ? 'false' : 'true');
		$('#store-fee').setAttribute('aria-invalid', okFee ? 'false' : 'true');
		if (!okMin || !okFee) {
			say($('#store-saved'), 'error',
			    '최소 주문은 0~100만 원, 배달비는 0~10만 원입니다.',
			    'Minimum order: 0 to 1,000,000 KRW; delivery fee: 0 to 100,000 KRW.');
			return;
		}
		patch({ minOrder: min, deliveryFee: fee }, ['저장했습니다: 최소 주문 ' +
		    won(min) + ', 배달비 ' + won(fee), 'Saved: minimum ' +
		    won(min) + ', delivery fee ' + won(fee)]);
	});

	document.addEventListener('fd:owner', (ev) => {
		storeId = ev.detail && ev.detail.storeId;
		if (storeId)
			load();
	});
	/* A pause ends by itself: show it when it has. */
	setInterval(() => {
		if (store && store.state === 'paused' && store.pausedUntil &&
		    Date.parse(store.pausedUntil) <= Date.now())
			load();
	}, 5000);
})();
