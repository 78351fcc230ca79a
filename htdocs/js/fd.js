/*
 * fd.js - what every page shares: the JSON API over same-origin fetch
 * (the HttpOnly fd_token cookie authenticates; pages never see the token),
 * DOM building through textContent only, status names (from vocab.js),
 * the cart, and the header's "logged in as".
 *
 * Rule: server and user text reaches the page only as textContent or an
 * attribute value, never as HTML.
 */
'use strict';

const FD = (() => {
	const TIMEOUT_MS = 15000;

	/*
	 * Each status's, step's and payment status's name, [Korean,
	 * English]: FD_VOCAB of /js/vocab.js, which scripts/ui.sh makes from
	 * ui/vocab.tsv, the source /mypage's words come from too.  Write a
	 * status's words only through statusName(), never as text here.
	 */
	const STATUS = typeof FD_VOCAB === 'object' ? FD_VOCAB : {};
	const STEPS = ['Paid', 'Accepted', 'Prepared', 'DeliveryStarted',
	    'Delivered'];

	/*
	 * el('li', {className: 'x', dataset: {id: 1}, 'aria-label': 'y'},
	 *     'text', otherNode): text children become text nodes.
	 */
	function el(tag, attrs, ...kids) {
		const n = document.createElement(tag);
		for (const [k, v] of Object.entries(attrs || {})) {
			if (v === undefined || v === null || v === false)
				continue;
			if (k === 'className')
				n.className = v;
			else if (k === 'text')
				n.textContent = String(v);
			else if (k === 'dataset')
				Object.assign(n.dataset, v);
			else if (k === 'onclick' || k === 'onsubmit' ||
			    k === 'oninput' || k === 'onchange')
				n.addEventListener(k.slice(2), v);
			else if (k === 'hidden' || k === 'disabled' ||
			    k === 'checked' || k === 'required')
				n[k] = Boolean(v);
			else if (k === 'value')
				n.value = String(v);
			else
				n.setAttribute(k, v === true ? '' : String(v));
		}
		append(n, kids);
		return n;
	}

	function append(n, kids) {
		for (const k of kids.flat()) {
			if (k === undefined || k === null || k === false)
				continue;
			n.appendChild(k instanceof Node ? k :
			    document.createTextNode(String(k)));
		}
		return n;
	}

	/* Korean text with its English beside it. */
	function bi(ko, en) {
		const f = document.createDocumentFragment();
		f.appendChild(document.createTextNode(ko));
		if (en) {
			f.appendChild(document.createTextNode(' '));
			f.appendChild(el('span', { className: 'en', lang: 'en',
			    text: en }));
		}
		return f;
	}

	function clear(n) {
		while (n.firstChild)
			n.removeChild(n.firstChild);
		return n;
	}

	function $(sel, root) {
		return (root || document).querySelector(sel);
	}

	function won(n) {
		return Number(n).toLocaleString('ko-KR') + '원';
	}

	function statusName(s) {
		return STATUS[s] || [s, ''];
	}

	function badge(s) {
		const [ko, en] = statusName(s);
		const b = el('span', { className: 'badge s-' + s,
		    dataset: { status: s } });
		b.appendChild(bi(ko, en));
		return b;
	}

	/*
	 * A store's state as GET /stores gives it (open, closed, or paused
	 * until a time), in ui/vocab.tsv's words (StoreOpen, StoreClosed,
	 * StorePaused), with until when and the owner's reason.
	 */
	function storeOpen(s) {
		return !s || s.state === 'open';
	}

	function storeState(s) {
		const st = s && (s.state === 'closed' || s.state === 'paused') ?
		    s.state : 'open';
		const [ko, en] = statusName('Store' + st[0].toUpperCase() +
		    st.slice(1));
		const b = el('span', { className: 'badge store-' + st,
		    dataset: { storeState: st } });
		b.appendChild(bi(ko, en));
		const box = el('span', { className: 'store-state' }, b);
		if (st === 'paused' && s.pausedUntil) {
			const d = new Date(s.pausedUntil), o = { hour: '2-digit',
			    minute: '2-digit' };
			box.appendChild(el('span', { className: 'until',
			    dataset: { until: s.pausedUntil } }, ' ',
			    bi(d.toLocaleTimeString('ko-KR', o) + '까지',
			    'until ' + d.toLocaleTimeString('en-GB', o))));
		}
		if (st !== 'open' && s.closedReason)
			box.appendChild(el('span', { className: 'reason',
			    text: ' · ' + s.closedReason }));
		return box;
	}

	/* The store's minimum order (items only) and delivery fee. */
	function storeTerms(s) {
		const min = won(s && s.minOrder || 0), fee = won(s &&
		    s.deliveryFee || 0);
		return el('span', { className: 'store-terms muted' },
		    bi('최소 주문 ' + min + ' · 배달비 ' + fee,
		    'Minimum order ' + min + ' · Delivery fee ' + fee));
	}

	/* "2024-05-01 12:34:56.123" or ISO from the server, shown local. */
	function when(s) {
		if (!s)
			return '';
		const d = new Date(String(s).replace(' ', 'T'));
		if (Number.isNaN(d.getTime()))
			return String(s);
		return d.toLocaleString('ko-KR', { dateStyle: 'medium',
		    timeStyle: 'short' });
	}

	function param(name) {
		return new URLSearchParams(location.search).get(name);
	}

	function posInt(s) {
		return /^[1-9][0-9]{0,14}$/.test(String(s || '')) ? Number(s) : 0;
	}

	/* A same-site path to go back to after login, or the fallback. */
	function safeNext(next, fallback) {
		if (typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next))
			return next;
		return fallback;
	}

	/*
	 * One API call.  Resolves (never rejects) to
	 *   { ok, status, data, error: {code, message} | null, retryAfter }.
	 * status 0: the network or the time limit.
	 * X-Requested-With marks it as the pages' own: a write the cookie
	 * authenticates needs it when the browser sends neither Origin nor
	 * Sec-Fetch-Site (README, "Errors"); another site cannot send it.
	 */
	async function api(method, path, body, headers) {
		const ctl = new AbortController();
		const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
		const init = {
			method,
			credentials: 'same-origin',
			cache: 'no-store',
			headers: Object.assign({ Accept: 'application/json',
			    'X-Requested-With': 'fetch' }, headers || {}),
			signal: ctl.signal,
		};
		if (body !== undefined) {
			init.headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		let res;
		try {
			res = await fetch(path, init);
		} catch (e) {
			clearTimeout(timer);
			return { ok: false, status: 0, data: null,
			    error: { code: 'network', message: String(e &&
			    e.message || e) }, retryAfter: null };
		}
		let data = null;
		try {
			const text = await res.text();
			data = text ? JSON.parse(text) : null;
		} catch (e) {
			data = null;
		}
		clearTimeout(timer);
		let error = null;
		if (!res.ok)
			error = data && data.error && typeof data.error === 'object' ?
			    data.error : { code: 'http_' + res.status,
			    message: res.statusText };
		return { ok: res.ok, status: res.status, data, error,
		    retryAfter: res.headers.get('Retry-After') };
	}

	/*
	 * A message in a live region: kind info|ok|warn|error; detail is the
	 * server's own words (shown as text).  Returns the box for actions.
	 */
	function say(box, kind, ko, en, detail) {
		clear(box);
		box.className = 'msg ' + kind;
		if (!ko)
			return box;
		box.appendChild(bi(ko, en));
		if (detail)
			box.appendChild(el('span', { className: 'detail',
			    text: detail }));
		return box;
	}

	/* The generic words for a failed call. */
	function sayError(box, r) {
		if (r.status === 0)
			return say(box, 'error', '서버에 연결할 수 없습니다.',
			    'Cannot reach the server. Check your connection and try again.');
		if (r.status === 401)
			return say(box, 'warn', '로그인이 필요합니다.',
			    'Please log in.', r.error && r.error.message);
		if (r.status === 403)
			return say(box, 'error', '권한이 없습니다.',
			    'You are not allowed to do that.',
			    r.error && r.error.message);
		if (r.status === 503 || r.status === 502 || r.status === 504)
			return say(box, 'warn', '서비스가 잠시 혼잡합니다. 잠시 후 다시 시도해 주세요.',
			    'The service is busy; please try again shortly.',
			    r.error && r.error.message);
		return say(box, 'error', '요청을 처리하지 못했습니다.',
		    'The request failed.', r.error && r.error.message);
	}

	/*
	 * Who is logged in: GET /auth/me's {userId, role, email, name, phone,
	 * address (customers), storeId (owners)} or null; one call a page.
	 */
	let mePromise = null;
	function me(fresh) {
		if (!mePromise || fresh)
			mePromise = api('GET', '/auth/me').then((r) =>
			    r.ok && r.data ? r.data : null);
		return mePromise;
	}

	function loginHref() {
		return '/login.html?next=' + encodeURIComponent(location.pathname +
		    location.search);
	}

	async function logout() {
		await api('POST', '/auth/logout');
		cart.clear();
		location.href = '/index.html';
	}

	/*
	 * The header's "logged in as": the customer's name, a link to their
	 * profile page; an owner's name and store.
	 */
	async function renderWho() {
		const box = $('#who');
		if (!box)
			return null;
		const m = await me();
		clear(box);
		if (!m) {
			box.appendChild(el('a', { href: loginHref(), id: 'nav-login' },
			    bi('로그인', 'Log in')));
			box.appendChild(el('a', { href: '/signup.html' }, bi('회원가입', 'Sign up')));
			return null;
		}
		const name = m.name || '#' + m.userId;
		if (m.role === 'owner')
			box.appendChild(el('span', { id: 'who-text' },
			    bi('사장님', 'Owner'), ' ' + name + ' · 가게 ' +
			    m.storeId));
		else
			box.appendChild(el('a', { id: 'who-text',
			    href: '/profile.html', title: '내 정보 (My profile)' },
			    name + ' 님'));
		box.appendChild(el('button', { type: 'button', id: 'logout',
		    onclick: logout }, bi('로그아웃', 'Log out')));
		return m;
	}

	/*
	 * The cart: one store's lines, in localStorage so it survives the
	 * login detour.  {storeId, storeName, lines: [{menuId,name,price,qty}]}
	 */
	const CART_KEY = 'fd_cart';
	const cart = {
		get() {
			try {
				const c = JSON.parse(localStorage.getItem(CART_KEY));
				if (c && Array.isArray(c.lines))
					return c;
			} catch (e) { /* a broken cart is an empty one */ }
			return { storeId: 0, storeName: '', lines: [] };
		},
		save(c) {
			if (!c.lines.length)
				localStorage.removeItem(CART_KEY);
			else
				localStorage.setItem(CART_KEY, JSON.stringify(c));
		},
		clear() {
			localStorage.removeItem(CART_KEY);
		},
		total(c) {
			return c.lines.reduce((s, l) => s + l.price * l.qty, 0);
		},
		count(c) {
			return c.lines.reduce((s, l) => s + l.qty, 0);
		},
	};

	/* setTimeout-chained polling that never overlaps and slows when hidden. */
	function poll(fn, ms) {
		let timer = null, stopped = false;
		async function tick() {
			timer = null;
			if (stopped)
				return;
			try {
				await fn();
			} catch (e) {
				/* the next tick tries again */
			}
			if (!stopped)
				timer = setTimeout(tick, document.hidden ? ms * 5 : ms);
		}
		document.addEventListener('visibilitychange', () => {
			if (!document.hidden && timer !== null && !stopped) {
				clearTimeout(timer);
				tick();
			}
		});
		tick();
		return { stop() { stopped = true; if (timer) clearTimeout(timer); } };
	}

	/*
	 * A page kept up to date by its live stream, GET /events/customer or
	 * /events/store (Server-Sent Events; the cookie goes with it):
	 * refresh() runs when the stream opens (so that the page's first
	 * reading starts after it listens: nothing falls between), again
	 * whenever it reopens (for what happened meanwhile), and on each
	 * message for which onMessage(data) is true; at once if the stream
	 * fails, and after 2 s if it has not opened by then.  EventSource reconnects by itself, sending
	 * the last id it had, so nothing is missed.  While the stream fails,
	 * refresh() is polled every ms instead; a stream the server refused
	 * (a 401 once the token expired, say) is asked again every 30 s.
	 * Refreshes never overlap: one asked for meanwhile runs once after.
	 * A refresh that fails (returns false or throws) while the stream is
	 * open is tried again after ms, as polling would.
	 * onState(live) tells the page whether it is pushed (true) or polled.
	 */
	function live(path, onMessage, refresh, ms, onState) {
		let es = null, poller = null, retry = null, stopped = false;
		let busy = false, again = false, redo = null, first = null;
		async function run() {
			if (busy) {
				again = true;
				return;
			}
			busy = true;
			let ok = true;
			try {
				do {
					again = false;
					ok = await refresh() !== false;
				} while (again && !stopped);
			} catch (e) {
				ok = false;
			} finally {
				busy = false;
			}
			if (!ok && !stopped && !poller && !redo)
				redo = setTimeout(() => {
					redo = null;
					run();
				}, ms);
		}
		/* The stream opened or failed: the timed first reading is not needed. */
		function cancelFirst() {
			if (first) {
				clearTimeout(first);
				first = null;
			}
		}
		function fallback() {
			cancelFirst();
			if (stopped)
				return;
			if (!poller)
				poller = poll(run, ms);
			if (onState)
				onState(false);
		}
		function open() {
			retry = null;
			if (stopped)
				return;
			if (typeof EventSource !== 'function') {
				fallback();
				return;
			}
			es = new EventSource(path);
			es.onopen = () => {
				cancelFirst();
				if (poller) {
					poller.stop();
					poller = null;
				}
				if (onState)
					onState(true);
				run();
			};
			es.onmessage = (ev) => {
				let d;
				try {
					d = JSON.parse(ev.data);
				} catch (e) {
					return;
				}
				if (!onMessage || onMessage(d))
					run();
			};
			es.onerror = () => {
				fallback();
				if (es && es.readyState === EventSource.CLOSED) {
					es = null;
					retry = setTimeout(open, 30000);
				}
			};
		}
		first = setTimeout(() => {
			first = null;
			run();
		}, 2000);
		open();
		return {
			stop() {
				stopped = true;
				if (es)
					es.close();
				es = null;
				if (poller)
					poller.stop();
				poller = null;
				if (retry)
					clearTimeout(retry);
				if (redo)
					clearTimeout(redo);
				cancelFirst();
			},
			get live() { return es !== null && es.readyState === 1; },
		};
	}

	return { STATUS, STEPS, el, append, bi, clear, $, won, statusName, badge,
	    storeOpen, storeState, storeTerms, when, param, posInt, safeNext, api, say, sayError, me, loginHref,
	    renderWho, logout, cart, poll, live };
})();
