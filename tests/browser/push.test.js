/*
 * push.test.js - the pages follow changes by their live streams (GET
 * /events/customer, /events/store: Server-Sent Events held by nginx's
 * nchan), in Debian's chromium headless (node --test, playwright-core).
 *
 *   1. the customer's order page changes to Accepted within 2 s of the
 *      owner accepting, without a reload, and does not poll meanwhile;
 *   2. the owner's queue shows a new order within 2 s of its placing,
 *      and follows it when it is accepted elsewhere;
 *   3. MyPage (/mypage, rendered by the server) has no meta refresh and
 *      follows the order by its stream;
 *   4. with the stream blocked, the order page falls back to polling and
 *      still reaches Accepted.
 * The owner acts through the API (Bearer token), so that the time
 * measured is the stream's, not another page's.  Screenshots of each
 * page go to $FD_VAR/screenshots/push-*.png (Korean glyphs: the test
 * browser has fonts-noto-cjk).
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const H = require('./harness');
const { BASE, OWNER1, OWNER2, PHONE, DESKTOP, pageErrors } = H;

const EVENT_MS = 15000;		/* something that follows a relayed event */
const PUSH_MS = 2000;		/* a pushed change on the page (issue 16) */
const LOAD_MS = 45000;		/* the owner's page reading a long queue */

let browser, api;

before(async () => {
	browser = await H.launch();
	/* The owner's API client: a context of its own, Bearer token. */
	api = await browser.newContext();
	for (const [store, owner] of [[1, OWNER1], [2, OWNER2]]) {
		const r = await api.request.post(BASE + '/auth/login', {
		    data: owner, headers: { 'X-Forwarded-For': addr() } });
		assert.equal(r.status(), 200, 'owner login: ' + await r.text());
		ownerToken[store] = (await r.json()).token;
	}
});

after(async () => {
	if (api)
		await api.close();
	if (browser)
		await browser.close();
	assert.deepEqual(pageErrors, [], 'no script errors on the pages');
});

/* A context of the test browser (harness.js). */
const newContext = (viewport) => H.newContext(browser, viewport);
const shot = (page, name) => H.shot(page, 'push-' + name, false);

const ownerToken = {};		/* storeId -> its owner's token */

/* Each signup and login from an address of its own (the login limit). */
function addr() {
	const b = crypto.randomBytes(3);
	return '10.' + (b[0] | 1) + '.' + b[1] + '.' + ((b[2] % 250) + 1);
}

/* On a failure, a picture of every open page, then the failure. */
async function pictured(name, pages, fn) {
	try {
		await fn();
	} catch (e) {
		for (const [i, p] of pages().entries())
			if (p && !p.isClosed())
				await shot(p, 'FAIL-' + name + '-' + i)
				    .catch(() => {});
		throw e;
	}
}

/* A new customer, logged in inside ctx (the page's cookie). */
async function customer(ctx, tag) {
	const email = 'push-' + tag + '-' + Date.now() + '-' +
	    crypto.randomBytes(4).toString('hex') + '@example.com';
	const password = 'correct horse ' + tag;
	const xff = { 'X-Forwarded-For': addr() };
	let r = await ctx.request.post(BASE + '/auth/signup', { data: {
	    email, password, name: '박지민', phone: '010-2222-3333',
	    address: '서울 강남구 테헤란로 1' }, headers: xff });
	assert.equal(r.status(), 201, 'signup: ' + await r.text());
	r = await ctx.request.post(BASE + '/auth/login', { data: { email,
	    password }, headers: xff });
	assert.equal(r.status(), 200, 'login: ' + await r.text());
	return (await r.json()).token;
}

/* An order at store (1) of its first item not sold out; its id. */
async function place(token, store = 1) {
	let r = await api.request.get(BASE + '/stores/' + store + '/menu');
	const item = (await r.json()).items.find((i) => !i.soldOut);
	assert.ok(item, 'store ' + store + ' has an item not sold out');
	r = await api.request.post(BASE + '/orders', { headers: {
	    Authorization: 'Bearer ' + token }, data: { storeId: store,
	    items: [{ menuId: item.menuId, qty: 1 }],
	    card: '4111111111111111', address: '서울 강남구 테헤란로 1',
	    phone: '010-2222-3333' } });
	assert.equal(r.status(), 201, 'order: ' + await r.text());
	return (await r.json()).orderId;
}

/* Store's Paid ticket of orderId, following the pages; or undefined. */
async function paidTicket(orderId, store) {
	const auth = { Authorization: 'Bearer ' + ownerToken[store] };
	let after = 0;
	for (let page = 0; page < 20; page++) {
		const r = await api.request.get(BASE + '/fishstores?status=Paid' +
		    '&limit=500' + (after ? '&after=' + after : ''),
		    { headers: auth });
		const body = await r.json();
		const t = (body.tickets || []).find((x) => x.orderId === orderId);
		if (t || !body.nextAfter)
			return t;
		after = body.nextAfter;
	}
	return undefined;
}

/* Store's (1) owner accepts the order's ticket, once the relay made it;
 * returns the time the PATCH was answered. */
async function accept(orderId, store = 1) {
	const auth = { Authorization: 'Bearer ' + ownerToken[store] };
	const until = Date.now() + EVENT_MS;
	let ticket;
	while (!ticket && Date.now() < until) {
		ticket = await paidTicket(orderId, store);
		if (!ticket)
			await new Promise((res) => setTimeout(res, 100));
	}
	assert.ok(ticket, 'the ticket of order ' + orderId);
	const r = await api.request.patch(BASE + '/fishstores/' +
	    ticket.ticketId, { headers: auth, data: { status: 'Accepted',
	    readyInMinutes: 10 } });
	assert.equal(r.status(), 200, 'accept: ' + await r.text());
	return Date.now();
}

/* Requests of page whose path starts with prefix, counted from now on. */
function counter(page, prefix) {
	const c = { n: 0, streams: 0 };
	page.on('request', (req) => {
		const u = new URL(req.url());
		if (u.pathname.startsWith(prefix))
			c.n++;
		if (u.pathname.startsWith('/events/'))
			c.streams++;
	});
	return c;
}

/*
 * Waits for a quiet window: ms without one request counted by c, within
 * `within` ms; true if there was one.  A polling page has none (it reads
 * every 2 s); a pushed one is quiet once its first readings are done.
 */
async function quiet(page, c, ms, within) {
	const until = Date.now() + within;
	while (Date.now() + ms <= until) {
		const before = c.n;
		await page.waitForTimeout(ms);
		if (c.n === before)
			return true;
	}
	return false;
}

test('the order page shows Accepted within 2 s of the owner, pushed',
    { timeout: 60000 }, async (t) => {
	const ctx = await newContext(PHONE);
	const page = await ctx.newPage();
	await pictured('order', () => [page], async () => {
		const token = await customer(ctx, 'order');
		const id = await place(token);
		const gets = counter(page, '/orders/' + id);
		await page.goto(BASE + '/order.html?id=' + id);
		await page.locator('#order-status[data-status="Paid"]').waitFor();
		await page.locator('body[data-live="stream"]').waitFor();
		await page.evaluate(() => { window.__sameDocument = true; });
		/* Streaming: the page does not poll while nothing changes. */
		assert.ok(await quiet(page, gets, 2500, 10000),
		    'no polling while the stream is open');
		await shot(page, 'order-paid-phone');

		const t0 = await accept(id);
		await page.locator('#order-status[data-status="Accepted"]')
		    .waitFor({ timeout: PUSH_MS });
		const ms = Date.now() - t0;
		t.diagnostic('Accepted on the page ' + ms + ' ms after the ' +
		    'owner\'s PATCH returned');
		assert.ok(ms <= PUSH_MS, ms + ' ms');
		assert.equal(await page.evaluate(() => window.__sameDocument),
		    true, 'the page was reloaded');
		await shot(page, 'order-accepted-phone');
	});
	await ctx.close();
});

test('the owner\'s queue shows a new order within 2 s, pushed',
    { timeout: 60000 }, async (t) => {
	const ctx = await newContext(DESKTOP);
	const cust = await newContext(PHONE);
	const admin = await ctx.newPage();
	await pictured('queue', () => [admin], async () => {
		const xff = { 'X-Forwarded-For': addr() };
		/* Store 2: after make test's other suites store 1's queue
		 * holds some 900 tickets, which the page takes seconds to
		 * draw on this machine, whatever told it to. */
		const r = await ctx.request.post(BASE + '/auth/login', {
		    data: OWNER2, headers: xff });
		assert.equal(r.status(), 200, 'owner login: ' + await r.text());
		const token = await customer(cust, 'queue');
		await admin.goto(BASE + '/admin.html');
		await admin.locator('#dash').waitFor();
		await admin.locator('body[data-live="stream"]').waitFor();
		/* The first reading of the queue, on a loaded machine. */
		await admin.waitForFunction(() =>
		    /\d{1,2}:\d{2}/.test(document.querySelector('#live').textContent),
		    null, { timeout: LOAD_MS });
		await admin.evaluate(() => { window.__sameDocument = true; });
		const fishstores = counter(admin, '/fishstores');
		assert.ok(await quiet(admin, fishstores, 2500, LOAD_MS),
		    'no polling while the stream is open');

		const id = await place(token, 2);
		const t0 = Date.now();
		await admin.locator('#queue li[data-order-id="' + id + '"]')
		    .waitFor({ timeout: PUSH_MS });
		const ms = Date.now() - t0;
		t.diagnostic('the new order on the queue ' + ms + ' ms after ' +
		    'POST /orders returned');
		assert.ok(ms <= PUSH_MS, ms + ' ms');
		await shot(admin, 'queue-new-order-desktop');
		/* Accepted elsewhere (the API, another tab): the ticket here
		 * follows, read alone. */
		const t1 = await accept(id, 2);
		await admin.locator('#queue li[data-order-id="' + id +
		    '"][data-status="Accepted"]').waitFor({ timeout: PUSH_MS });
		t.diagnostic('accepted elsewhere, shown ' + (Date.now() - t1) +
		    ' ms after');
		assert.equal(await admin.evaluate(() => window.__sameDocument),
		    true, 'the admin page was reloaded');
	});
	await cust.close();
	await ctx.close();
});

test('MyPage follows the order by its stream, without reloading',
    { timeout: 60000 }, async (t) => {
	const ctx = await newContext(PHONE);
	const page = await ctx.newPage();
	await pictured('mypage', () => [page], async () => {
		const token = await customer(ctx, 'mypage');
		const id = await place(token);
		const r = await ctx.request.get(BASE + '/mypage');
		assert.equal(r.status(), 200);
		assert.doesNotMatch(await r.text(), /http-equiv="refresh"/i,
		    'no meta refresh');
		await page.goto(BASE + '/mypage');
		const status = page.locator('#order-' + id + ' .status');
		await page.locator('#order-' + id + ' .status.s-Paid').waitFor();
		await page.locator('body[data-live="stream"]').waitFor();
		await page.evaluate(() => { window.__sameDocument = true; });
		const t0 = await accept(id);
		await page.locator('#order-' + id + ' .status.s-Accepted')
		    .waitFor({ timeout: PUSH_MS });
		t.diagnostic('MyPage shows Accepted ' + (Date.now() - t0) +
		    ' ms after the owner\'s PATCH');
		assert.match(await status.textContent(), /Accepted/);
		assert.equal(await page.evaluate(() => window.__sameDocument),
		    true, 'MyPage was reloaded');
		await shot(page, 'mypage-accepted-phone');
	});
	await ctx.close();
});

test('with the stream blocked the order page polls, and still follows',
    { timeout: 60000 }, async () => {
	const ctx = await newContext(PHONE);
	await ctx.route('**/events/**', (route) => route.abort('failed'));
	const page = await ctx.newPage();
	await pictured('fallback', () => [page], async () => {
		const token = await customer(ctx, 'fallback');
		const id = await place(token);
		const gets = counter(page, '/orders/' + id);
		await page.goto(BASE + '/order.html?id=' + id);
		await page.locator('#order-status[data-status="Paid"]').waitFor();
		await page.locator('body[data-live="poll"]').waitFor();
		await accept(id);
		await page.locator('#order-status[data-status="Accepted"]')
		    .waitFor({ timeout: EVENT_MS });
		assert.ok(gets.n >= 2, 'polled: ' + gets.n + ' reads');
		await shot(page, 'order-fallback-phone');
	});
	await ctx.close();
});
