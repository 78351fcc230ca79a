/*
 * admin.html: the store owner's page.  The live queue (Paid and Accepted
 * tickets, oldest first), the deliveries under way, and the menu (price,
 * sold out).  Only the steps legal for a ticket's status are offered:
 * accepting with the estimate (10 to 60 minutes), rejecting with a reason
 * code (and with sold_out the items to mark sold out), and each waiting
 * ticket counts down to its accept deadline.
 *
 * Pushed: the store's live stream (GET /events/store) says which ticket
 * or delivery changed, the moment it did; a new ticket reads only the
 * tickets newer than the newest seen (?after=), a change of another that
 * ticket alone (GET /fishstores/{id}), a delivery's the deliveries; all
 * Paid and Accepted tickets again only when the stream (re)opens.  While
 * the stream fails, polled as before (FD.live): every 2 s the new
 * tickets and the deliveries, every 10 s all Paid and Accepted tickets,
 * for changes made elsewhere (a customer who cancels, another tab).
 */
'use strict';

(async () => {
	const { el, bi, clear, $, api, say, sayError, won, badge, when,
	    statusName, renderWho } = FD;
	const msg = $('#msg');
	const POLL_MS = 2000;
	const NEW_MS = 60000;		/* how long a new ticket stays marked */
	const tickets = new Map();	/* ticketId -> {t, node, key} */
	const deliveries = new Map();	/* deliveryId -> {d, node} */
	const acted = new Set();	/* tickets this page moved on */
	const newSince = new Map();	/* ticketId -> time first seen */
	const active = new Map();	/* ticketId -> ticket, Paid or Accepted */
	const ACTIVE = ['Paid', 'Accepted'];
	const FULL_EVERY = 5;		/* polls between full refreshes */
	const ESTIMATES = [10, 20, 30, 40, 60];	/* minutes, readyInMinutes */
	/* The owner's reason codes (no_response is the system's). */
	const REASONS = ['sold_out', 'closing', 'too_busy', 'other'];
	let maxId = 0;			/* the newest ticket seen */
	let polls = 0;
	let storeId = 0;
	let loaded = false;
	let poller = null;
	let pushed = false;		/* the stream is open: no polling */
	/* What the next refresh must read, as the stream's messages say. */
	const everything = () => ({ all: true, deliveries: true,
	    tickets: new Set() });
	let want = everything();

	function announce(ko, en) {
		const a = $('#announce');
		a.textContent = '';
		a.textContent = ko + ' (' + en + ')';
	}

	/*
	 * Tickets oldest first from ticket id `from` on, following the pages;
	 * filter is "status=Paid", say, or "".  {list} or {r: the failure}.
	 */
	async function ticketPages(filter, from) {
		let after = from, all = [];
		for (let page = 0; page < 10; page++) {
			const r = await api('GET', '/fishstores?limit=500' +
			    (filter ? '&' + filter : '') +
			    (after ? '&after=' + after : ''));
			if (!r.ok || !r.data || !Array.isArray(r.data.tickets))
				return { r };
			all = all.concat(r.data.tickets);
			if (!r.data.nextAfter)
				break;
			after = r.data.nextAfter;
		}
		return { list: all };
	}

	function ticketNode(t) {
		const isNew = newSince.has(t.ticketId);
		const head = el('div', { className: 'head' },
		    el('h3', {}, '주문 #' + t.orderId),
		    badge(t.status),
		    isNew ? el('span', { className: 'badge new' },
			bi('새 주문', 'New')) : null,
		    el('span', { className: 'muted', text: when(t.createdAt) }));
		const lines = el('ul', { className: 'lines' },
		    (t.items || []).map((it) => el('li', {},
			el('strong', { text: it.name }), ' × ' + it.qty + ' · ' +
			won(it.price * it.qty))));
		const tel = String(t.phone || '').replace(/[^0-9+]/g, '');
		const facts = el('dl', { className: 'facts' },
		    el('dt', {}, bi('합계', 'Total')),
		    el('dd', { text: won(t.amount) }),
		    el('dt', {}, bi('주소', 'Address')),
		    el('dd', { text: t.address || '' }),
		    el('dt', {}, bi('연락처', 'Phone')),
		    el('dd', {}, el('a', { href: 'tel:' + tel, text: t.phone || '' })));
		const actions = el('div', { className: 'actions' });
		const label = '주문 #' + t.orderId;
		if (t.status === 'Paid') {
			/* Accepting is saying how long: one button per estimate
			 * (plain text: a queue may hold a thousand cards). */
			actions.appendChild(el('span', { className: 'estimate-label',
			    text: '접수 · 조리 시간 (Accept · ready in)' }));
			for (const n of ESTIMATES)
				actions.appendChild(el('button', { type: 'button',
				    className: 'go accept', 'data-minutes': n,
				    'aria-label': label + ' ' + n + '분 후 완료로 접수 ' +
				    '(Accept, ready in ' + n + ' min)',
				    onclick: () => step(t, 'Accepted',
					{ readyInMinutes: n }), text: n + '분' }));
			if (t.acceptInSeconds !== null && t.acceptInSeconds !== undefined)
				actions.appendChild(el('span', { className: 'countdown',
				    role: 'timer', dataset: { deadline: Date.now() +
				    t.acceptInSeconds * 1000 } }));
			/* The reason picker only when asked for: a long queue
			 * stays light. */
			actions.appendChild(el('button', { type: 'button',
			    className: 'danger reject', 'aria-expanded': 'false',
			    'aria-label': label + ' 거절 (Reject)',
			    onclick: (ev) => openReject(t, label, ev.currentTarget) },
			    bi('거절…', 'Reject…')));
		} else if (t.status === 'Accepted') {
			if (t.readyBy)
				actions.appendChild(el('span', { className: 'eta' },
				    bi('조리 완료 예정 ' + clock(t.readyBy),
				    'ready by ' + clock(t.readyBy))));
			const [ko, en] = statusName('Prepared');
			actions.appendChild(el('button', { type: 'button',
			    className: 'go prepared', 'aria-label': label + ' ' +
			    ko + ' (' + en + ')', onclick: () => step(t, 'Prepared') },
			    bi(ko, en)));
		}
		return el('li', { className: 'card ticket s-' + t.status +
		    (isNew ? ' is-new' : ''), dataset: { ticketId: t.ticketId,
		    orderId: t.orderId, status: t.status } },
		    head, lines, facts, actions);
	}

	/* "19:40", the browser's own time of day for a UTC time. */
	function clock(iso) {
		const d = new Date(iso);
		return isNaN(d) ? '' : d.toLocaleTimeString('ko-KR',
		    { hour: '2-digit', minute: '2-digit', hour12: false });
	}

	/*
	 * The reason picker: a code (the customer reads it in Korean and
	 * English, ui/vocab.tsv), optional words, and with sold_out the items
	 * of this order to mark sold out in the same step.
	 */
	function rejectForm(t, label) {
		const rid = 'reason-' + t.ticketId, cid = 'code-' + t.ticketId;
		const code = el('select', { id: cid, className: 'code' },
		    REASONS.map((c) => {
			const [ko, en] = statusName(c);
			return el('option', { value: c, text: ko + ' (' + en + ')' });
		    }));
		const reason = el('input', { id: rid, type: 'text',
		    maxlength: 200, className: 'reason' });
		const seen = new Set();
		const items = (t.items || []).filter((it) => !seen.has(it.menuId) &&
		    seen.add(it.menuId));
		const soldOut = el('fieldset', { className: 'sold-out-items' },
		    el('legend', {}, bi('품절로 표시할 메뉴', 'Mark sold out')),
		    items.map((it) => el('label', {},
			el('input', { type: 'checkbox', value: it.menuId,
			    className: 'sold-out' }), ' ' + it.name)));
		const sync = () => { soldOut.hidden = code.value !== 'sold_out'; };
		code.addEventListener('change', sync);
		sync();
		return el('div', { className: 'reject-row' },
		    el('div', { className: 'field' },
			el('label', { for: cid }, bi('거절 이유', 'Reason'),
			    el('span', { className: 'sr-only',
				text: ' (' + label + ')' })), code),
		    el('div', { className: 'field' },
			el('label', { for: rid }, bi('덧붙일 말 (선택)',
			    'Note (optional)'), el('span', { className: 'sr-only',
				text: ' (' + label + ')' })), reason),
		    soldOut,
		    el('button', { type: 'button', className: 'danger reject-confirm',
			'aria-label': label + ' 거절하기 (Reject)',
			onclick: () => {
				const body = { reasonCode: code.value };
				const text = reason.value.trim();
				if (text)
					body.reason = text;
				const ids = [...soldOut.querySelectorAll(
				    'input.sold-out:checked')].map((c) =>
				    ({ menuId: Number(c.value) }));
				if (code.value === 'sold_out' && ids.length)
					body.soldOutItems = ids;
				step(t, 'Rejected', body);
			} },
			bi('거절하기', 'Reject')));
	}

	/* Opens (once) the reason picker under the ticket's card. */
	function openReject(t, label, button) {
		const card = button.closest('li.ticket');
		let row = card && $('.reject-row', card);
		if (card && !row) {
			row = rejectForm(t, label);
			card.appendChild(row);
		}
		button.setAttribute('aria-expanded', 'true');
		if (row)
			$('select.code', row).focus();
		return row;
	}

	/* Each waiting ticket's time left to accept, every second: minutes
	 * while there are, then seconds; written only when it changes (the
	 * queue may be long). */
	function tick() {
		for (const c of document.querySelectorAll('.countdown')) {
			const left = Math.max(0, Math.round((Number(c.dataset.deadline) -
			    Date.now()) / 1000));
			const urgent = left <= 60;
			const mmss = Math.floor(left / 60) + ':' +
			    String(left % 60).padStart(2, '0');
			const text = left <= 0 ? '시간 초과: 자동 거절됩니다 ' +
			    '(too late: rejected automatically)' : urgent ||
			    left < 600 ? '남은 시간 ' + mmss + ' (' + mmss +
			    ' left to accept)' : '남은 시간 ' + Math.floor(left / 60) +
			    '분 (' + Math.floor(left / 60) + ' min left to accept)';
			if (c.textContent !== text)
				c.textContent = text;
			if (c.classList.contains('urgent') !== urgent)
				c.classList.toggle('urgent', urgent);
		}
	}

	function ticketKey(t) {
		return t.status + '|' + t.updatedAt + '|' +
		    (newSince.has(t.ticketId) ? 'n' : '');
	}

	/* Keyed update: unchanged cards (and what is typed in them) stay. */
	function renderQueue(list) {
		const ul = $('#queue');
		const seen = new Set();
		let prev = null;
		for (const t of list) {
			seen.add(t.ticketId);
			let e = tickets.get(t.ticketId);
			const key = ticketKey(t);
			if (!e || e.key !== key) {
				const node = ticketNode(t);
				if (e) {
					const open = $('.reject-row', e.node);
					const opener = $('button.reject', node);
					if (open && opener)
						openReject(t, '주문 #' + t.orderId,
						    opener);
					for (const sel of ['input.reason',
					    'select.code']) {
						const input = $(sel, e.node);
						const keep = $(sel, node);
						if (input && keep) {
							keep.value = input.value;
							keep.dispatchEvent(
							    new Event('change'));
						}
					}
					e.node.replaceWith(node);
				}
				e = { t, node, key };
				tickets.set(t.ticketId, e);
			}
			const want = prev ? prev.nextSibling : ul.firstChild;
			if (want !== e.node)
				ul.insertBefore(e.node, want);
			prev = e.node;
		}
		for (const [id, e] of tickets)
			if (!seen.has(id)) {
				e.node.remove();
				tickets.delete(id);
				if (!acted.has(id))
					gone(e.t);
			}
		$('#queue-count').textContent = String(list.length);
		$('#queue-empty').hidden = list.length > 0;
		tick();
	}

	/* A ticket left the queue without us: the customer canceled, say. */
	async function gone(t) {
		const r = await api('GET', '/fishstores/' + t.ticketId);
		if (r.ok && r.data && r.data.status === 'Rejected' &&
		    r.data.rejectReasonCode === 'no_response') {
			notice('warn', '주문 #' + t.orderId + '은(는) 접수 시간이 지나 ' +
			    '자동으로 거절되었고 결제는 환불됩니다.', 'Order #' +
			    t.orderId + ' was not accepted in time: rejected, and ' +
			    'the payment is refunded.');
			return;
		}
		if (!r.ok || !r.data || r.data.status !== 'Canceled')
			return;
		notice('warn', '고객이 주문 #' + t.orderId + '을(를) 취소했습니다.',
		    'The customer canceled order #' + t.orderId + '.');
	}

	function notice(kind, ko, en) {
		const box = $('#notices');
		const n = el('div', { className: 'msg ' + kind }, bi(ko, en));
		box.prepend(n);
		while (box.children.length > 5)
			box.lastChild.remove();
		setTimeout(() => n.remove(), 30000);
	}

	function failed(r) {
		if (r.status === 401 || r.status === 403) {
			stop();
			showLogin();
		}
		sayError(msg, r);
		return false;
	}

	/* Every Paid and Accepted ticket: status changes made elsewhere. */
	async function fullRefresh() {
		const [paid, accepted] = await Promise.all([
		    ticketPages('status=Paid', 0),
		    ticketPages('status=Accepted', 0)]);
		if (!paid.list || !accepted.list)
			return failed(paid.r || accepted.r);
		active.clear();
		for (const t of paid.list.concat(accepted.list)) {
			active.set(t.ticketId, t);
			maxId = Math.max(maxId, t.ticketId);
		}
		return true;
	}

	/* Only the tickets newer than the newest seen: a small answer. */
	async function newTickets() {
		const got = await ticketPages('', maxId);
		if (!got.list)
			return failed(got.r);
		for (const t of got.list) {
			maxId = Math.max(maxId, t.ticketId);
			if (ACTIVE.includes(t.status))
				active.set(t.ticketId, t);
		}
		return true;
	}

	/* The tickets the stream said changed, each read again. */
	async function changedTickets(ids) {
		for (const id of ids) {
			const r = await api('GET', '/fishstores/' + id);
			if (r.status === 404) {
				active.delete(id);
				continue;
			}
			if (!r.ok || !r.data)
				return failed(r);
			if (ACTIVE.includes(r.data.status))
				active.set(id, r.data);
			else
				active.delete(id);
		}
		return true;
	}

	/* The queue as `active` has it, marking what is new since the start. */
	function renderActive() {
		const list = [...active.values()]
		    .sort((a, b) => a.ticketId - b.ticketId);
		const now = Date.now();
		let fresh = 0;
		for (const t of list)
			if (!tickets.has(t.ticketId) && loaded &&
			    !newSince.has(t.ticketId)) {
				newSince.set(t.ticketId, now);
				fresh++;
			}
		for (const [id, at] of newSince)
			if (now - at > NEW_MS || !active.has(id))
				newSince.delete(id);
		renderQueue(list);
		renderArrivals();
		if (fresh)
			announce('새 주문 ' + fresh + '건', fresh + ' new order' +
			    (fresh > 1 ? 's' : ''));
	}

	/*
	 * New orders also get a line above the queue with a button that
	 * scrolls to them: in a long queue (oldest first) they are far down.
	 */
	function renderArrivals() {
		const box = clear($('#queue-new'));
		const ids = [...newSince.keys()].filter((id) => active.has(id))
		    .sort((a, b) => b - a);
		for (const id of ids.slice(0, 3)) {
			const t = active.get(id);
			box.appendChild(el('div', { className: 'msg info arrival' },
			    bi('새 주문 #' + t.orderId + ' 도착 · ' + won(t.amount),
				'New order #' + t.orderId),
			    ' ',
			    el('button', { type: 'button', className: 'small',
				dataset: { orderId: t.orderId },
				'aria-label': '주문 #' + t.orderId + ' 보기 (Show)',
				onclick: () => jump(id) }, bi('보기', 'Show'))));
		}
		if (ids.length > 3)
			box.appendChild(el('p', { className: 'muted' },
			    bi('외 ' + (ids.length - 3) + '건', (ids.length - 3) +
				' more')));
	}

	function jump(id) {
		const e = tickets.get(id);
		if (!e)
			return;
		e.node.scrollIntoView({ block: 'center' });
		const h = $('h3', e.node);
		h.setAttribute('tabindex', '-1');
		h.focus({ preventScroll: true });
	}

	async function refreshQueue(full) {
		const ok = full || !loaded ? await fullRefresh() :
		    await newTickets();
		if (ok)
			renderActive();
		return ok;
	}

	function deliveryNode(d) {
		const tel = String(d.phone || '').replace(/[^0-9+]/g, '');
		const label = '주문 #' + d.orderId;
		const [ko, en] = statusName('Delivered');
		return el('li', { className: 'card delivery',
		    dataset: { deliveryId: d.deliveryId, orderId: d.orderId,
		    status: d.status } },
		    el('div', { className: 'head' },
			el('h3', {}, label), badge(d.status),
			el('span', { className: 'muted', text: '배달 #' +
			    d.deliveryId + ' · ' + when(d.createdAt) })),
		    el('dl', { className: 'facts' },
			el('dt', {}, bi('주소', 'Address')),
			el('dd', { text: d.address || '' }),
			el('dt', {}, bi('연락처', 'Phone')),
			el('dd', {}, el('a', { href: 'tel:' + tel,
			    text: d.phone || '' }))),
		    el('div', { className: 'actions' },
			el('button', { type: 'button', className: 'go delivered',
			    'aria-label': label + ' ' + ko + ' (' + en + ')',
			    onclick: () => delivered(d) },
			    bi(ko, en))));
	}

	async function refreshDeliveries() {
		const r = await api('GET',
		    '/deliveries?status=DeliveryStarted&limit=200');
		if (!r.ok || !r.data || !Array.isArray(r.data.deliveries))
			return false;
		const list = r.data.deliveries.slice()
		    .sort((a, b) => a.deliveryId - b.deliveryId);
		const ul = $('#deliveries');
		const seen = new Set();
		let prev = null;
		for (const d of list) {
			seen.add(d.deliveryId);
			let e = deliveries.get(d.deliveryId);
			if (!e) {
				e = { d, node: deliveryNode(d) };
				deliveries.set(d.deliveryId, e);
			}
			const want = prev ? prev.nextSibling : ul.firstChild;
			if (want !== e.node)
				ul.insertBefore(e.node, want);
			prev = e.node;
		}
		for (const [id, e] of deliveries)
			if (!seen.has(id)) {
				e.node.remove();
				deliveries.delete(id);
			}
		$('#deliveries-count').textContent = String(list.length);
		$('#deliveries-empty').hidden = list.length > 0;
		return true;
	}

	/* extra: readyInMinutes with Accepted; reasonCode (reason,
	 * soldOutItems) with Rejected. */
	async function step(t, to, extra) {
		const e = tickets.get(t.ticketId);
		const buttons = e ? e.node.querySelectorAll('button') : [];
		buttons.forEach((b) => { b.disabled = true; });
		const body = Object.assign({ status: to }, extra || {});
		const r = await api('PATCH', '/fishstores/' + t.ticketId, body);
		buttons.forEach((b) => { b.disabled = false; });
		if (r.ok && r.data) {
			acted.add(t.ticketId);
			newSince.delete(t.ticketId);
			if (ACTIVE.includes(r.data.status))
				active.set(t.ticketId, r.data);
			else
				active.delete(t.ticketId);
			renderActive();
			const done = {
				Accepted: ['주문 #' + t.orderId + '을(를) 접수했습니다 (' +
				    clock(r.data.readyBy) + ' 완료 예정).',
				    'Accepted order #' + t.orderId + ', ready by ' +
				    clock(r.data.readyBy) + '.'],
				Prepared: ['주문 #' + t.orderId + ' ' +
				    statusName('Prepared')[0] + ', 배달을 시작합니다.',
				    'Order #' + t.orderId + ' is prepared; delivery starts.'],
				Rejected: ['주문 #' + t.orderId + '을(를) 거절했습니다. 결제는 환불됩니다.',
				    'Rejected order #' + t.orderId + '; the payment is refunded.'],
			}[to];
			say(msg, 'ok', done[0], done[1]);
			if (to === 'Prepared')
				setTimeout(refreshDeliveries, 300);
			if (to === 'Rejected' && body.soldOutItems)
				loadMenu();
			return;
		}
		if (r.status === 409) {
			say(msg, 'warn', '이 주문은 지금 그렇게 바꿀 수 없습니다.',
			    'This order cannot take that step now.',
			    r.error && r.error.message);
			refreshQueue(true);
			return;
		}
		if (r.status === 400) {
			say(msg, 'error', '입력한 내용을 확인해 주세요.',
			    'Please check what you entered.', r.error && r.error.message);
			return;
		}
		sayError(msg, r);
	}

	async function delivered(d) {
		const e = deliveries.get(d.deliveryId);
		const b = e && $('button', e.node);
		if (b)
			b.disabled = true;
		const r = await api('PATCH', '/deliveries/' + d.deliveryId,
		    { status: 'Delivered' });
		if (b)
			b.disabled = false;
		if (r.ok) {
			say(msg, 'ok', '주문 #' + d.orderId + ' 배달 완료!',
			    'Order #' + d.orderId + ' delivered.');
			await refreshDeliveries();
			return;
		}
		if (r.status === 409) {
			say(msg, 'warn', '이 배달은 완료로 바꿀 수 없습니다.',
			    'This delivery cannot be marked delivered.',
			    r.error && r.error.message);
			refreshDeliveries();
			return;
		}
		sayError(msg, r);
	}

	async function loadMenu() {
		const r = await api('GET', '/stores/' + storeId + '/menu');
		const ul = clear($('#menu-edit'));
		if (!r.ok || !r.data || !Array.isArray(r.data.items)) {
			ul.appendChild(el('li', { className: 'muted' },
			    bi('메뉴를 불러오지 못했습니다.', 'Could not load the menu.')));
			return;
		}
		for (const it of r.data.items)
			ul.appendChild(menuRow(it));
	}

	function menuRow(it) {
		const pid = 'price-' + it.menuId, sid = 'soldout-' + it.menuId;
		const price = el('input', { id: pid, type: 'number', min: 100,
		    max: 10000000, step: 100, value: it.price, inputmode: 'numeric' });
		const sold = el('input', { id: sid, type: 'checkbox',
		    checked: it.soldOut });
		const saved = el('span', { className: 'saved', role: 'status' });
		const save = el('button', { type: 'button', className: 'small',
		    'aria-label': it.name + ' 저장 (Save)' }, bi('저장', 'Save'));
		const row = el('li', { dataset: { menuId: it.menuId } },
		    el('span', { className: 'name', text: it.name }),
		    el('div', { className: 'field' },
			el('label', { for: pid }, bi('가격(원)', 'Price, KRW')), price),
		    el('label', { className: 'check', for: sid }, sold,
			bi('품절', 'Sold out')),
		    save, saved);
		save.addEventListener('click', async () => {
			const body = {};
			const p = Number(price.value);
			if (!Number.isInteger(p) || p < 100 || p > 10000000) {
				price.setAttribute('aria-invalid', 'true');
				saved.textContent = '가격은 100원~1,000만 원 (Price: 100 to 10,000,000 KRW)';
				price.focus();
				return;
			}
			price.setAttribute('aria-invalid', 'false');
			if (p !== it.price)
				body.price = p;
			if (sold.checked !== it.soldOut)
				body.soldOut = sold.checked;
			if (!Object.keys(body).length) {
				saved.textContent = '바뀐 내용이 없습니다 (Nothing changed)';
				return;
			}
			save.disabled = true;
			const r = await api('PATCH', '/stores/' + storeId + '/menu/' +
			    it.menuId, body);
			save.disabled = false;
			if (r.ok && r.data) {
				it.price = r.data.price;
				it.soldOut = r.data.soldOut;
				price.value = String(it.price);
				sold.checked = it.soldOut;
				saved.textContent = '저장됨 (Saved) · ' + won(it.price) +
				    (it.soldOut ? ' · 품절 (Sold out)' : '');
				return;
			}
			saved.textContent = '저장하지 못했습니다 (Not saved): ' +
			    (r.error && r.error.message || r.status);
		});
		return row;
	}

	function stop() {
		if (poller) {
			poller.stop();
			poller = null;
		}
	}

	function showLogin() {
		$('#dash').hidden = true;
		$('#owner-login').hidden = false;
	}

	async function start(me) {
		storeId = me.storeId;
		$('#owner-login').hidden = true;
		$('#dash').hidden = false;
		const sr = await api('GET', '/stores');
		const s = sr.ok && sr.data && Array.isArray(sr.data.stores) &&
		    sr.data.stores.find((x) => x.storeId === storeId);
		const title = clear($('#store-title'));
		title.appendChild(el('strong', { text: s ? s.name :
		    '가게 ' + storeId }));
		if (s)
			title.appendChild(document.createTextNode(' · ' + s.address));
		loadMenu();
		setInterval(tick, 1000);
		/* The store's own controls (admin_store.js) start with it. */
		document.dispatchEvent(new CustomEvent('fd:owner', { detail: me }));
		poller = FD.live('/events/store', (d) => {
			if (!d)
				return false;
			if (d.type === 'delivery')
				want.deliveries = true;
			else if (active.has(d.ticketId) || d.status !== 'Paid')
				want.tickets.add(d.ticketId);
			return true;	/* a new ticket: ?after= reads it */
		}, async () => {
			const w = want;
			want = { all: false, deliveries: false, tickets: new Set() };
			let ok = !w.tickets.size || w.all ||
			    await changedTickets(w.tickets);
			if (ok)
				ok = await refreshQueue(w.all ||
				    (!pushed && polls++ % FULL_EVERY === 0));
			if (w.deliveries || !pushed)
				await refreshDeliveries();
			if (!ok)	/* tried again (FD.live): all of it */
				want = everything();
			loaded = loaded || ok;
			if (ok) {
				const live = clear($('#live'));
				const t = new Date().toLocaleTimeString('ko-KR');
				live.appendChild(pushed ?
				    bi('실시간 연결됨 · ' + t,
				    'Live: changes arrive as they happen') :
				    bi('실시간 갱신 중 · ' + t,
				    'Live: refreshes every 2 s'));
			}
			return ok;
		}, POLL_MS, (on) => {
			/* (Re)opened: whatever changed meanwhile, read again. */
			if (on && !pushed)
				want = everything();
			pushed = on;
			document.body.dataset.live = on ? 'stream' : 'poll';
		});
	}

	$('#owner-login-form').addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const btn = $('#owner-login-submit');
		btn.disabled = true;
		const r = await api('POST', '/auth/login', {
			email: $('#owner-email').value.trim(),
			password: $('#owner-password').value,
		});
		btn.disabled = false;
		if (r.status === 401 || r.status === 400) {
			say(msg, 'error', '이메일 또는 비밀번호가 맞지 않습니다.',
			    'Wrong email or password.');
			return;
		}
		if (!r.ok) {
			sayError(msg, r);
			return;
		}
		if (!r.data || r.data.role !== 'owner') {
			say(msg, 'warn', '사장님 계정이 아닙니다. 사장님 계정으로 로그인해 주세요.',
			    'This is not a store owner account.');
			await FD.me(true);
			renderWho();
			return;
		}
		say(msg, '', '');
		const m = await FD.me(true);
		await renderWho();
		if (m && m.role === 'owner')
			start(m);
	});

	const m = await renderWho();
	if (m && m.role === 'owner') {
		start(m);
	} else {
		if (m)
			say(msg, 'info', '고객 계정으로 로그인되어 있습니다. 사장님 계정으로 로그인해 주세요.',
			    'You are logged in as a customer; log in with an owner account.');
		showLogin();
	}
})();
