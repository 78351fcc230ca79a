/* orders.html: the customer's orders, newest first, refreshed every 5 s. */
'use strict';

(async () => {
	const { el, bi, clear, $, api, say, sayError, won, badge, when,
	    renderWho } = FD;
	const msg = $('#msg');
	const m = await renderWho();
	if (!m) {
		location.replace(FD.loginHref());
		return;
	}
	if (m.role !== 'customer') {
		say(msg, 'info', '고객 계정의 주문만 볼 수 있습니다.',
		    'Orders are shown for customer accounts.');
		$('#orders').removeAttribute('aria-busy');
		return;
	}
	const names = {};
	let shown = '';
	const sr = await api('GET', '/stores');
	if (sr.ok && sr.data && Array.isArray(sr.data.stores))
		for (const s of sr.data.stores)
			names[s.storeId] = s.name;

	async function refresh() {
		const r = await api('GET', '/orders');
		const list = $('#orders');
		list.removeAttribute('aria-busy');
		if (!r.ok || !r.data || !Array.isArray(r.data.orders)) {
			if (r.status === 401) {
				location.replace(FD.loginHref());
				return;
			}
			sayError(msg, r);
			return;
		}
		say(msg, '', '');
		$('#orders-empty').hidden = r.data.orders.length > 0;
		const key = JSON.stringify(r.data.orders.map((o) =>
		    [o.orderId, o.status]));
		if (key === shown)
			return;
		shown = key;
		clear(list);
		for (const o of r.data.orders)
			list.appendChild(el('li', { className: 'card',
			    dataset: { orderId: o.orderId, status: o.status } },
			    el('a', { href: '/order.html?id=' + o.orderId },
				el('span', { className: 'id' }, '#' + o.orderId),
				el('span', { text: names[o.storeId] ||
				    ('가게 ' + o.storeId) }),
				el('span', { text: won(o.amount) }),
				badge(o.status),
				el('span', { className: 'when', text: when(o.createdAt) }))));
	}
	FD.poll(refresh, 5000);
})();
