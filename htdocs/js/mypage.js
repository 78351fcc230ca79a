/*
 * mypage.js - /mypage (rendered by the server, order_mypage.c) kept up to
 * date without reloading: each message of the customer's live stream (GET
 * /events/customer) reads /mypage again and puts its <main> in place of
 * this one's; while the stream fails, every 5 s (FD.live).  The page is
 * complete without this script: it only spares the reload.
 *
 * The new <main> is the server's own page, escaped as a reload would be
 * (fd_htmlf), parsed by DOMParser (which runs no script) and moved in as
 * nodes; no text of this script's reaches it as HTML.
 */
'use strict';

(() => {
	let etag = '';

	async function reload() {
		const r = await fetch('/mypage', { credentials: 'same-origin',
		    headers: etag ? { 'If-None-Match': etag } : {},
		    cache: 'no-store', redirect: 'manual' });
		if (r.type === 'opaqueredirect' || r.status === 303) {
			location.reload();	/* logged out: the login page */
			return;
		}
		if (r.status === 304)
			return true;
		if (!r.ok)
			return false;	/* tried again (FD.live) */
		etag = r.headers.get('ETag') || '';
		const doc = new DOMParser().parseFromString(await r.text(),
		    'text/html');
		const fresh = doc.getElementById('main');
		const main = document.getElementById('main');
		if (fresh && main)
			main.replaceWith(document.adoptNode(fresh));
		return true;
	}

	FD.live('/events/customer', null, reload, 5000, (pushed) => {
		document.body.dataset.live = pushed ? 'stream' : 'poll';
	});
})();
