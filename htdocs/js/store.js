/*
 * store.html?id=N: a store's menu with prices and sold-out marks, whether
 * it takes orders now (open, closed, paused until a time), its minimum
 * and delivery fee, and the cart, which goes to checkout only while the
 * store is open and the items reach its minimum.
 */
'use strict';

(async () => {
	const { el, bi, clear, $, api, say, sayError, won, cart, renderWho,
	    storeOpen, storeState, storeTerms } = FD;
	renderWho();
	const msg = $('#msg');
	const storeId = FD.posInt(FD.param('id'));
	if (!storeId) {
		say(msg, 'error', '가게를 찾을 수 없습니다.', 'No such store.');
		return;
	}
	let storeName = '';
	let store = null;	/* as GET /stores has it */
	let menu = [];

	/* Why the cart cannot go to checkout now, or null. */
	function blocked(items) {
		if (store && !storeOpen(store))
			return 'closed';
		if (store && items < (store.minOrder || 0))
			return 'minimum';
		return null;
	}

	function renderCart() {
		const c = cart.get();
		const list = clear($('#cart'));
		const mine = c.storeId === storeId ? c.lines : [];
		$('#cart-empty').hidden = mine.length > 0;
		const n = mine.reduce((s, l) => s + l.qty, 0);
		$('#cart-count').textContent = String(n);
		const items = mine.reduce((s, l) => s + l.price * l.qty, 0);
		const fee = mine.length && store ? store.deliveryFee || 0 : 0;
		$('#cart-fee').textContent = won(fee);
		$('#cart-total').textContent = won(items + fee);
		const why = mine.length ? blocked(items) : null;
		const min = $('#cart-minimum');
		min.hidden = why !== 'minimum';
		if (why === 'minimum')
			clear(min).appendChild(bi('최소 주문 금액 ' +
			    won(store.minOrder) + '까지 ' +
			    won(store.minOrder - items) + ' 남았습니다.',
			    won(store.minOrder - items) + ' more to reach the ' +
			    'minimum order of ' + won(store.minOrder) + '.'));
		const go = $('#to-checkout');
		const ok = mine.length > 0 && !why;
		go.setAttribute('aria-disabled', ok ? 'false' : 'true');
		go.dataset.blocked = why || '';
		go.classList.toggle('secondary', !ok);
		for (const l of mine) {
			list.appendChild(el('li', { dataset: { menuId: l.menuId } },
			    el('span', { className: 'name', text: l.name }),
			    el('button', { type: 'button', className: 'small secondary',
				'aria-label': l.name + ' 하나 빼기 (one less)',
				onclick: () => change(l.menuId, -1) }, '−'),
			    el('span', { className: 'qty',
				text: l.qty }),
			    el('button', { type: 'button', className: 'small secondary',
				'aria-label': l.name + ' 하나 더 (one more)',
				onclick: () => change(l.menuId, 1) }, '+'),
			    el('span', { className: 'line-total', text: won(l.price * l.qty) })));
		}
	}

	function change(menuId, delta) {
		const c = cart.get();
		if (c.storeId !== storeId)
			return;
		const l = c.lines.find((x) => x.menuId === menuId);
		if (!l)
			return;
		l.qty = Math.min(99, l.qty + delta);
		if (l.qty <= 0)
			c.lines = c.lines.filter((x) => x !== l);
		cart.save(c);
		renderCart();
	}

	function add(item) {
		let c = cart.get();
		if (c.storeId !== storeId && c.lines.length) {
			say(msg, 'info', '다른 가게의 장바구니를 비우고 새로 담았습니다.',
			    'Your cart from another store was emptied.');
			c = { storeId, storeName, lines: [] };
		}
		c.storeId = storeId;
		c.storeName = storeName;
		const l = c.lines.find((x) => x.menuId === item.menuId);
		if (l) {
			l.qty = Math.min(99, l.qty + 1);
			l.price = item.price;
		} else {
			if (c.lines.length >= 20) {
				say(msg, 'warn', '한 번에 20가지까지 주문할 수 있습니다.',
				    'Up to 20 different items per order.');
				return;
			}
			c.lines.push({ menuId: item.menuId, name: item.name,
			    price: item.price, qty: 1 });
		}
		cart.save(c);
		renderCart();
	}

	$('#to-checkout').addEventListener('click', (ev) => {
		const go = $('#to-checkout');
		if (go.getAttribute('aria-disabled') !== 'true')
			return;
		ev.preventDefault();
		if (go.dataset.blocked === 'closed')
			say(msg, 'warn', '지금은 주문을 받지 않는 가게입니다.',
			    'This store is not taking orders right now.');
		else if (go.dataset.blocked === 'minimum')
			say(msg, 'warn', '최소 주문 금액을 채워 주세요.',
			    'Please reach the minimum order first.');
		else
			say(msg, 'info', '먼저 메뉴를 담아 주세요.',
			    'Add something to your cart first.');
	});

	const [sr, mr] = await Promise.all([api('GET', '/stores'),
	    api('GET', '/stores/' + storeId + '/menu')]);
	const list = $('#menu');
	list.removeAttribute('aria-busy');
	if (sr.ok && sr.data && Array.isArray(sr.data.stores)) {
		const s = sr.data.stores.find((x) => x.storeId === storeId);
		if (s) {
			store = s;
			storeName = s.name;
			const ops = clear($('#store-ops'));
			ops.appendChild(storeState(s));
			ops.appendChild(storeTerms(s));
			if (!storeOpen(s))
				say(msg, 'warn', '지금은 주문을 받지 않습니다. 메뉴는 볼 수 있어요.',
				    'The store is not taking orders right now; you can still look at the menu.');
			const h = clear($('#store-name'));
			h.appendChild(document.createTextNode(s.name + ' '));
			h.appendChild(el('span', { className: 'en', lang: 'en',
			    text: 'Menu' }));
			$('#store-info').textContent = s.address + ' · ' + s.phone;
			document.title = s.name + ' · 회 배달 fishdelivery';
		}
	}
	if (!mr.ok || !mr.data || !Array.isArray(mr.data.items)) {
		if (mr.status === 404)
			say(msg, 'error', '가게를 찾을 수 없습니다.', 'No such store.');
		else
			sayError(msg, mr);
		renderCart();
		return;
	}
	menu = mr.data.items;
	/* Prices in the cart follow the menu; sold-out lines leave it. */
	const c = cart.get();
	if (c.storeId === storeId) {
		const before = c.lines.length;
		c.lines = c.lines.filter((l) => {
			const m = menu.find((x) => x.menuId === l.menuId);
			if (m)
				l.price = m.price;
			return m && !m.soldOut;
		});
		if (c.lines.length < before)
			say(msg, 'warn', '품절된 메뉴를 장바구니에서 뺐습니다.',
			    'Sold-out items were removed from your cart.');
		cart.save(c);
	}
	for (const it of menu) {
		list.appendChild(el('li', { dataset: { menuId: it.menuId },
		    className: it.soldOut ? 'is-soldout' : '' },
		    el('span', { className: 'name', text: it.name }),
		    it.soldOut ? el('span', { className: 'badge soldout' },
			bi('품절', 'Sold out')) : null,
		    el('span', { className: 'price', text: won(it.price) }),
		    el('button', { type: 'button', className: 'small add',
			disabled: it.soldOut,
			'aria-label': it.name + ' 담기 (Add to cart)',
			onclick: () => add(it) }, bi('담기', 'Add'))));
	}
	if (!menu.length)
		list.appendChild(el('li', { className: 'muted' },
		    bi('메뉴가 없습니다.', 'No items.')));
	renderCart();
})();
