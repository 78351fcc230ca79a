/*
 * store_ops.test.js - a store's operations in a real browser (node
 * --test, playwright-core and Debian's chromium, as journey.test.js):
 * the owner of store 2 pauses it for 30 minutes with a reason on the
 * admin page; the customer's store list and menu page say it is paused,
 * until when and why, in ui/vocab.tsv's words, and the cart will not go
 * to checkout (nor checkout pay); the owner sets a minimum and a fee,
 * which the menu and checkout show (items + fee = total) before paying;
 * the owner opens the store again and the customer can check out.
 * Store 2 is left open, without minimum or fee, also when a step fails.
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const H = require('./harness');
const { BASE, OWNER2, VOCAB, pageErrors } = H;

const EVENT_MS = 15000;

let browser;

before(async () => {
	browser = await H.launch();
});

after(async () => {
	if (browser)
		await browser.close();
});

/* A context of the test browser (harness.js). */
const newContext = (viewport) => H.newContext(browser, viewport);
const shot = (page, name, fullPage = true) =>
    H.shot(page, name, fullPage);

/* The element's first badge reads name's words, Korean then English. */
async function says(loc, name) {
	assert.ok(VOCAB[name], name + ' is in ui/vocab.tsv');
	const text = (await loc.textContent()).replace(/\s+/g, ' ').trim();
	assert.equal(text, VOCAB[name].join(' '), 'the words for ' + name);
}

/* Store 2 as the API has it now. */
async function store2(ctx) {
	const r = await ctx.request.get(BASE + '/stores');
	assert.equal(r.status(), 200);
	return (await r.json()).stores.find((s) => s.storeId === 2);
}

async function waitState(ctx, state) {
	const end = Date.now() + EVENT_MS;
	for (;;) {
		const s = await store2(ctx);
		if (s.state === state)
			return s;
		assert.ok(Date.now() < end, 'store 2 ' + state + ' (is ' +
		    s.state + ')');
		await new Promise((r) => setTimeout(r, 200));
	}
}

/*
 * An order of the menu's first item at the API, until the order context's
 * replica agrees with expect (201 or 409): StoreChanged goes through the
 * relay.  The page under test asks the same server.
 */
async function orderAnswers(page, expect) {
	const end = Date.now() + EVENT_MS;
	for (;;) {
		const r = await page.evaluate(async () => {
			const res = await fetch('/orders', { method: 'POST',
			    credentials: 'same-origin', headers: {
			    'Content-Type': 'application/json',
			    'X-Requested-With': 'test' },
			    body: JSON.stringify({ storeId: 2, items: [{
			    menuId: 12, qty: 1 }], address: '서울 종로구 1',
			    phone: '010-1234-5678' }) });
			return res.status;
		});
		if (r === expect)
			return;
		assert.ok(Date.now() < end, 'POST /orders gives ' + expect +
		    ' (gave ' + r + ')');
		await new Promise((res) => setTimeout(res, 250));
	}
}

test('store ops: the owner pauses store 2; the customer sees it and cannot '
    + 'check out; minimum and fee; open again', { timeout: 110000 },
    async () => {
	const owner = await newContext({ width: 1280, height: 900 });
	const cust = await newContext({ width: 390, height: 844 });
	const admin = await owner.newPage();
	const page = await cust.newPage();
	const reason = '재료 손질 중 <b>잠시만</b>';
	try {
		/* The owner logs in on the admin page. */
		await admin.goto(BASE + '/admin.html');
		await admin.getByLabel('이메일').fill(OWNER2.email);
		await admin.getByLabel('비밀번호').fill(OWNER2.password);
		await admin.getByRole('button', { name: /^로그인/ }).click();
		await admin.locator('#store-now [data-store-state]').waitFor();
		await says(admin.locator('#store-now .badge'), 'StoreOpen');

		/* A customer, through the API (the cookie lands in cust). */
		const email = 'web-ops-' + Date.now() + '-' +
		    crypto.randomBytes(4).toString('hex') + '@example.com';
		let r = await cust.request.post(BASE + '/auth/signup', { data: {
		    email, password: 'correct horse ops', name: '최손님',
		    phone: '010-2222-3333', address: '서울 종로구 1' } });
		assert.equal(r.status(), 201);
		r = await cust.request.post(BASE + '/auth/login', { data: {
		    email, password: 'correct horse ops' } });
		assert.equal(r.status(), 200);

		/* The owner pauses for 30 minutes with a reason. */
		await admin.getByLabel(/손님에게 보입니다/).fill(reason);
		await admin.getByRole('button', { name: /^30분/ }).click();
		await admin.locator('#store-now [data-store-state="paused"]')
		    .waitFor();
		await says(admin.locator('#store-now .badge'), 'StorePaused');
		const s = await waitState(owner, 'paused');
		const left = Date.parse(s.pausedUntil) - Date.now();
		assert.ok(left > 28 * 60000 && left <= 30 * 60000,
		    'paused for 30 minutes: ' + s.pausedUntil);
		assert.equal(s.closedReason, reason);
		await shot(admin, 'ops-01-admin-paused', false);

		/* The store list says so. */
		await page.goto(BASE + '/index.html');
		const li = page.locator('#stores li[data-store-id="2"]');
		await li.locator('[data-store-state="paused"]').waitFor();
		await says(li.locator('.store-state .badge'), 'StorePaused');
		assert.equal(await li.locator('.until').getAttribute(
		    'data-until'), s.pausedUntil);

		/* The menu page: paused, why (as text, never markup), and
		 * the cart does not go to checkout. */
		await orderAnswers(page, 409);
		await page.goto(BASE + '/store.html?id=2');
		await page.locator('#store-ops [data-store-state="paused"]')
		    .waitFor();
		await says(page.locator('#store-ops .badge'), 'StorePaused');
		assert.match(await page.locator('#store-ops .reason')
		    .textContent(), /재료 손질 중 <b>잠시만<\/b>/);
		assert.equal(await page.locator('#store-ops b').count(), 0);
		await page.locator('#menu li[data-menu-id="12"] button.add')
		    .click();
		assert.equal(await page.locator('#cart li').count(), 1);
		const go = page.locator('#to-checkout');
		assert.equal(await go.getAttribute('aria-disabled'), 'true');
		/* A click anyway (playwright would wait for it enabled). */
		await go.click({ force: true });
		assert.match(page.url(), /\/store\.html\?id=2/);
		assert.match(await page.locator('#msg').textContent(),
		    /주문을 받지 않는/);
		await shot(page, 'ops-02-menu-paused');

		/* Nor does checkout pay. */
		await page.goto(BASE + '/checkout.html');
		await page.locator('#sum-ops [data-store-state="paused"]')
		    .waitFor();
		assert.equal(await page.locator('#pay').isDisabled(), true);
		await shot(page, 'ops-03-checkout-paused');

		/* The owner opens again, with a minimum and a fee. */
		await admin.getByRole('button', { name: /^가게 열기/ }).click();
		await admin.locator('#store-now [data-store-state="open"]')
		    .waitFor();
		await admin.getByLabel(/최소 주문 금액/).fill('30000');
		await admin.getByLabel(/배달비/).fill('3000');
		await admin.locator('#store-terms-save').click();
		await admin.locator('#store-saved.ok').waitFor();
		await waitState(owner, 'open');
		await orderAnswers(page, 409);	/* 18,000 < 30,000 */

		/* One 전어 is below the minimum: no checkout. */
		await page.goto(BASE + '/store.html?id=2');
		await page.locator('#store-ops [data-store-state="open"]')
		    .waitFor();
		await says(page.locator('#store-ops .badge'), 'StoreOpen');
		assert.equal(await go.getAttribute('aria-disabled'), 'true');
		assert.equal(await page.locator('#cart-minimum').isHidden(),
		    false);
		/* Two are enough: 36,000 + 3,000. */
		await page.locator('#menu li[data-menu-id="12"] button.add')
		    .click();
		assert.equal(await go.getAttribute('aria-disabled'), 'false');
		assert.equal(await page.locator('#cart-fee').textContent(),
		    '3,000원');
		assert.equal(await page.locator('#cart-total').textContent(),
		    '39,000원');
		await shot(page, 'ops-04-menu-open-fee');
		await go.click();
		await page.waitForURL(/\/checkout\.html/);
		await page.locator('#sum-ops [data-store-state="open"]')
		    .waitFor();
		assert.equal(await page.locator('#sum-items').textContent(),
		    '36,000원');
		assert.equal(await page.locator('#sum-fee').textContent(),
		    '3,000원');
		assert.equal(await page.locator('#sum-total').textContent(),
		    '39,000원');
		assert.equal(await page.locator('#pay').isDisabled(), false);
		await shot(page, 'ops-05-checkout-fee');
		assert.deepEqual(pageErrors, []);
	} finally {
		/* Store 2 as every test leaves it. */
		await owner.request.patch(BASE + '/stores/2', { data: {
		    open: true, minOrder: 0, deliveryFee: 0 },
		    headers: { 'X-Requested-With': 'test' } }).catch(() => {});
		await owner.close();
		await cust.close();
	}
});
