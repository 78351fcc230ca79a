/* index.html: the stores. */
'use strict';

(async () => {
	const { el, bi, $, api, sayError, renderWho, storeState, storeTerms } = FD;
	renderWho();
	const list = $('#stores');
	const r = await api('GET', '/stores');
	list.removeAttribute('aria-busy');
	if (!r.ok || !r.data || !Array.isArray(r.data.stores)) {
		sayError($('#msg'), r);
		return;
	}
	if (!r.data.stores.length)
		list.appendChild(el('li', { className: 'muted' },
		    bi('아직 가게가 없습니다.', 'No stores yet.')));
	for (const s of r.data.stores) {
		list.appendChild(el('li', { className: 'card',
		    dataset: { storeId: s.storeId } },
		    el('h3', { text: s.name }),
		    storeState(s),
		    storeTerms(s),
		    el('span', { className: 'muted', text: s.address }),
		    el('span', { className: 'muted' }, bi('전화', 'Phone'),
			': ', el('a', { href: 'tel:' + String(s.phone).replace(/[^0-9+]/g, ''),
			text: s.phone })),
		    el('a', { className: 'btn', href: '/store.html?id=' + s.storeId,
			'aria-label': s.name + ' 메뉴 보기 (View menu)' },
			bi('메뉴 보기', 'View menu'))));
	}
})();
