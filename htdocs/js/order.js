/*
 * order.html?id=N: one order's status and progress, its items and payment;
 * ask to cancel while the store has not started (Paid or Accepted): the
 * store decides, and the page shows the request waiting and then the
 * outcome.  Once the store accepts, the time it said the food will be
 * ready (eta); if it rejects, why (its reason code's words).  Refreshes every 2 s until the order is finished.
 */
'use strict';

(async () => {
	const { el, bi, clear, $, api, say, sayError, won, badge, when,
	    statusName, STEPS, renderWho } = FD;
	const msg = $('#msg');
	const id = FD.posInt(FD.param('id'));
	const FINAL = ['Delivered', 'Canceled', 'Rejected'];
	const CANCELABLE = ['Paid', 'Accepted'];
	let shown = '';
	let payStatus = '';
	let afterFinal = 0;
	let poller = null;

	if (!id) {
		say(msg, 'error', '주문을 찾을 수 없습니다.', 'No such order.');
		return;
	}
	$('#order-title').textContent = '주문 #' + id + ' ';
	$('#order-title').appendChild(el('span', { className: 'en', lang: 'en',
	    text: 'Order #' + id }));
	/* "Placed and paid" once; a reload or a later step no longer says it. */
	$('#placed').hidden = FD.param('placed') !== '1';
	if (FD.param('placed'))
		history.replaceState(null, '', '/order.html?id=' + id);

	const m = await renderWho();
	if (!m) {
		location.replace(FD.loginHref());
		return;
	}

	function renderStatus(o) {
		const s = o.status;
		const st = clear($('#order-status'));
		st.dataset.status = s;
		st.appendChild(badge(s));
		const tl = clear($('#timeline'));
		const at = STEPS.indexOf(s);
		STEPS.forEach((step, i) => {
			const [ko, en] = statusName(step);
			const cls = at < 0 ? '' : i < at || s === 'Delivered' ?
			    'done' : i === at ? 'current' : '';
			tl.appendChild(el('li', { className: cls,
			    dataset: { step },
			    'aria-current': i === at ? 'step' : null },
			    bi(ko, en)));
		});
		const ended = $('#order-ended');
		ended.hidden = at >= 0;
		clear(ended);
		if (s === 'Canceled')
			ended.appendChild(bi('주문이 취소되었고 결제는 환불됩니다.',
			    'The order was canceled; the payment is refunded.'));
		else if (s === 'Rejected') {
			ended.appendChild(bi('가게에서 주문을 받을 수 없어 거절했습니다. 결제는 환불됩니다.',
			    'The store could not take the order; the payment is refunded.'));
			/* Why, in the words of ui/vocab.tsv, and the owner's own. */
			if (o.rejectReasonCode) {
				const [ko, en] = statusName(o.rejectReasonCode);
				ended.appendChild(el('span', { className: 'reason',
				    dataset: { reasonCode: o.rejectReasonCode } },
				    ' ', bi('사유: ' + ko, 'Reason: ' + en),
				    o.rejectReason ? ' · ' + o.rejectReason : ''));
			}
		}
		else if (s === 'CancelRequested')
			ended.appendChild(bi('취소를 요청했습니다. 가게의 확인을 기다리는 중입니다.',
			    'Cancel requested: waiting for the store to confirm.'));
		/* The store's estimate, from its accepting until the food is on
		 * its way. */
		const eta = clear($('#order-eta'));
		eta.hidden = !(o.eta && ['Accepted', 'Prepared',
		    'CancelRequested'].includes(s));
		if (!eta.hidden)
			eta.appendChild(el('span', {}, bi('조리 완료 예정 ',
			    'Estimated ready at '), el('time', { dateTime: o.eta,
			    text: new Date(o.eta).toLocaleTimeString('ko-KR',
			    { hour: '2-digit', minute: '2-digit', hour12: false }) })));
		const refused = $('#cancel-refused');
		refused.hidden = !o.cancelRefused;
		clear(refused);
		if (o.cancelRefused)
			refused.appendChild(bi('가게에서 취소를 받아들이지 않았습니다: ' +
			    o.cancelRefused, 'The store refused the cancel: ' +
			    o.cancelRefused));
		$('#cancel-box').hidden = !CANCELABLE.includes(s);
		if (s !== 'Paid')
			$('#placed').hidden = true;
	}

	function renderDetail(o) {
		const tb = clear($('#items'));
		for (const it of o.items || [])
			tb.appendChild(el('tr', {},
			    el('td', { text: it.name }),
			    el('td', { className: 'num', text: it.qty }),
			    el('td', { className: 'num', text: won(it.price * it.qty) })));
		$('#amount').textContent = won(o.amount);
		const dl = clear($('#facts'));
		const fact = (ko, en, v) => {
			dl.appendChild(el('dt', {}, bi(ko, en)));
			dl.appendChild(el('dd', {}, v));
		};
		fact('주문 시각', 'Placed', when(o.createdAt));
		fact('배달 주소', 'Address', o.address || '');
		fact('연락처', 'Phone', o.phone || '');
		fact('결제', 'Payment', el('span', { id: 'payment' }, '…'));
	}

	async function renderPayment() {
		const r = await api('GET', '/payments?orderId=' + id);
		const p = $('#payment');
		if (!p)
			return;
		clear(p);
		if (!r.ok || !r.data) {
			p.textContent = '-';
			return;
		}
		payStatus = r.data.status;
		p.appendChild(badge(r.data.status));
		if (r.data.cardLast4)
			p.appendChild(document.createTextNode(' 카드 ···· ' +
			    r.data.cardLast4));
	}

	async function refresh() {
		const r = await api('GET', '/orders/' + id);
		if (!r.ok || !r.data) {
			if (r.status === 401) {
				location.replace(FD.loginHref());
				return;
			}
			if (r.status === 404) {
				say(msg, 'error', '주문을 찾을 수 없습니다.',
				    'No such order.');
				if (poller)
					poller.stop();
				return;
			}
			sayError(msg, r);
			return;
		}
		say(msg, '', '');
		const o = r.data;
		if (!shown)
			renderDetail(o);
		if (o.status !== shown) {
			renderStatus(o);
			$('#order-box').hidden = false;
			$('#detail-box').hidden = false;
			shown = o.status;
			await renderPayment();
		} else if (FINAL.includes(o.status) && payStatus === 'Approved') {
			/* The refund follows the cancel or reject by an event. */
			await renderPayment();
		}
		if (FINAL.includes(o.status) && poller && (o.status ===
		    'Delivered' || payStatus !== 'Approved' || ++afterFinal > 15))
			poller.stop();
	}

	$('#cancel').addEventListener('click', async () => {
		const btn = $('#cancel');
		btn.disabled = true;
		const reason = $('#cancel-reason').value.trim();
		const r = await api('POST', '/orders/' + id + '/cancel',
		    reason ? { reason } : {});
		btn.disabled = false;
		if (r.status === 202 && r.data) {
			say(msg, 'ok', '취소를 요청했습니다. 가게에서 확인하면 알려 드립니다.',
			    'Cancel requested: the store is deciding; this page ' +
			    'shows the outcome.');
			renderStatus(r.data);
			shown = r.data.status;
			return;
		}
		if (r.ok && r.data) {
			say(msg, 'ok', '주문을 취소했습니다. 결제는 환불됩니다.',
			    'Your order is canceled; the payment will be refunded.');
			shown = '';
			renderDetail(r.data);
			renderStatus(r.data);
			shown = r.data.status;
			renderPayment();
			return;
		}
		if (r.status === 409) {
			say(msg, 'warn', '가게에서 이미 조리를 마쳐 취소할 수 없습니다.',
			    'Too late to cancel: the store has prepared it.',
			    r.error && r.error.message);
			refresh();
			return;
		}
		sayError(msg, r);
	});

	poller = FD.poll(refresh, 2000);
})();
