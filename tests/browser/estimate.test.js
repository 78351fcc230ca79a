/*
 * estimate.test.js - the owner's estimate in a real browser (node --test;
 * issue 17, item 3): a customer orders through the API, the owner sees
 * the ticket on the admin page counting down to its accept deadline,
 * accepts it with the 30-minute button, and the customer's order page and
 * MyPage show the estimated time, the one the ticket says (readyBy).
 * Then a second order is rejected with a reason code from the picker and
 * the customer's order page says why, in ui/vocab.tsv's words.
 *
 * Like journey.test.js: playwright-core drives Debian's chromium headless
 * against the stack at FD_URL (loopback only); screenshots go to
 * $FD_VAR/screenshots/ (est-*.png).
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const H = require('./harness');
const { BASE, OWNER1, PHONE, DESKTOP, VOCAB, pageErrors } = H;

const EVENT_MS = 15000;
/* The admin page's first render: after make test's suites store 1 has
 * over a thousand waiting tickets. */
const QUEUE_MS = 40000;

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
const shot = (page, name) => H.shot(page, name, false);

/* A customer through the API; its cookie lands in ctx. */
async function apiCustomer(ctx) {
	const email = 'web-est-' + Date.now() + '-' +
	    crypto.randomBytes(4).toString('hex') + '@example.com';
	const password = 'correct horse est';
	let r = await ctx.request.post(BASE + '/auth/signup', { data: {
	    email, password, name: '박지민', phone: '010-2222-3333',
	    address: '서울 마포구 3' } });
	assert.equal(r.status(), 201, 'signup: ' + await r.text());
	r = await ctx.request.post(BASE + '/auth/login', { data: { email,
	    password } });
	assert.equal(r.status(), 200, 'login: ' + await r.text());
}

async function placeOrder(ctx) {
	const r = await ctx.request.post(BASE + '/orders', {
	    headers: { Origin: BASE },
	    data: { storeId: 1, items: [{ menuId: 1, qty: 1 }],
	    address: '서울 마포구 3', phone: '010-2222-3333' } });
	assert.equal(r.status(), 201, 'order: ' + await r.text());
	return (await r.json()).orderId;
}

async function ownerPage(ctx) {
	const admin = await ctx.newPage();
	await admin.goto(BASE + '/admin.html');
	await admin.getByLabel('이메일').fill(OWNER1.email);
	await admin.getByLabel('비밀번호').fill(OWNER1.password);
	await admin.getByRole('button', { name: /^로그인/ }).click();
	await admin.locator('#dash').waitFor();
	return admin;
}

/* "19:40" as the pages show a UTC time in the browser's zone (Seoul). */
function clock(iso) {
	return new Date(iso).toLocaleTimeString('ko-KR', { hour: '2-digit',
	    minute: '2-digit', hour12: false, timeZone: 'Asia/Seoul' });
}

test('the owner accepts with 30 minutes; the customer sees the estimate',
    { timeout: 90000 }, async () => {
	const cust = await newContext(PHONE);
	const owner = await newContext(DESKTOP);
	await apiCustomer(cust);
	const admin = await ownerPage(owner);
	const orderId = await placeOrder(cust);
	const page = await cust.newPage();
	try {
		await page.goto(BASE + '/order.html?id=' + orderId);
		await page.locator('#order-status[data-status="Paid"]').waitFor();
		assert.equal(await page.locator('#order-eta').isVisible(), false,
		    'no estimate before the store accepts');

		const ticket = admin.locator('#queue li[data-order-id="' +
		    orderId + '"]');
		await ticket.waitFor({ timeout: QUEUE_MS });
		/* The countdown to the ticket's deadline, as the server counts. */
		const countdown = ticket.locator('.countdown');
		/* "남은 시간 9:54" under 10 minutes, "남은 시간 1439분" above. */
		await admin.waitForFunction((id) => /\d+(:\d\d|분)/.test(
		    document.querySelector('#queue li[data-order-id="' + id +
		    '"] .countdown').textContent), orderId);
		const left = (await countdown.textContent())
		    .match(/(\d+)(?::(\d\d)|분)/);
		const secs = Number(left[1]) * 60 + Number(left[2] || 0);
		const tid = await ticket.getAttribute('data-ticket-id');
		const waiting = await (await owner.request.get(BASE +
		    '/fishstores/' + tid)).json();
		assert.ok(waiting && waiting.acceptInSeconds > 0, 'acceptInSeconds');
		assert.ok(Math.abs(secs - waiting.acceptInSeconds) <= 90,
		    'time left ' + left[0] + ', the server says ' +
		    waiting.acceptInSeconds + ' s');
		/* The five estimates on offer. */
		for (const n of [10, 20, 30, 40, 60])
			assert.equal(await ticket.locator('button.accept' +
			    '[data-minutes="' + n + '"]').count(), 1, n + ' min');
		await ticket.scrollIntoViewIfNeeded();
		await shot(admin, 'est-01-admin-waiting-desktop');

		const before = Date.now();
		await ticket.locator('button.accept[data-minutes="30"]').click();
		await admin.locator('#queue li[data-order-id="' + orderId +
		    '"][data-status="Accepted"]').waitFor();
		const t = await (await owner.request.get(BASE + '/fishstores/' +
		    tid)).json();
		assert.ok(t && t.readyBy, 'the ticket has readyBy');
		const at = Date.parse(t.readyBy);
		assert.ok(at >= before + 30 * 60000 - 5000 &&
		    at <= Date.now() + 30 * 60000 + 5000, 'readyBy is 30 min on');
		await admin.locator('#queue li[data-order-id="' + orderId +
		    '"] .eta').getByText(clock(t.readyBy)).waitFor();
		await shot(admin, 'est-02-admin-accepted-desktop');

		/* The customer's order page, refreshing by itself. */
		await page.locator('#order-status[data-status="Accepted"]')
		    .waitFor({ timeout: EVENT_MS });
		const eta = page.locator('#order-eta');
		await eta.waitFor();
		assert.equal(await eta.locator('time').getAttribute('datetime'),
		    t.readyBy);
		assert.equal((await eta.locator('time').textContent()).trim(),
		    clock(t.readyBy));
		await shot(page, 'est-03-order-eta-phone');
		/* And MyPage. */
		await page.goto(BASE + '/mypage');
		const mp = page.locator('#order-' + orderId + ' p.eta time');
		await mp.waitFor();
		assert.equal(await mp.getAttribute('datetime'), t.readyBy);
		await shot(page, 'est-04-mypage-eta-phone');
	} finally {
		await cust.close();
		await owner.close();
	}
	assert.deepEqual(pageErrors, []);
});

test('the owner rejects with a reason code; the customer reads it',
    { timeout: 90000 }, async () => {
	const cust = await newContext(PHONE);
	const owner = await newContext(DESKTOP);
	await apiCustomer(cust);
	const admin = await ownerPage(owner);
	const orderId = await placeOrder(cust);
	const page = await cust.newPage();
	try {
		const ticket = admin.locator('#queue li[data-order-id="' +
		    orderId + '"]');
		await ticket.waitFor({ timeout: QUEUE_MS });
		/* The reason picker opens on asking. */
		assert.equal(await ticket.locator('select.code').count(), 0);
		await ticket.locator('button.reject').click();
		await ticket.locator('select.code').waitFor();
		/* Every owner's code on offer, in the vocabulary's words. */
		const options = await ticket.locator('select.code option')
		    .evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
		assert.deepEqual(options.map((o) => o[0]),
		    ['sold_out', 'closing', 'too_busy', 'other']);
		for (const [code, text] of options)
			assert.equal(text, VOCAB[code][0] + ' (' + VOCAB[code][1] + ')');
		/* The sold-out items show only with sold_out. */
		assert.equal(await ticket.locator('.sold-out-items').isVisible(),
		    true);
		await ticket.locator('select.code').selectOption('closing');
		assert.equal(await ticket.locator('.sold-out-items').isVisible(),
		    false);
		await ticket.locator('input.reason').fill('재료 준비 끝');
		await ticket.locator('button.reject-confirm').click();
		await ticket.waitFor({ state: 'detached' });

		await page.goto(BASE + '/order.html?id=' + orderId);
		await page.locator('#order-status[data-status="Rejected"]')
		    .waitFor({ timeout: EVENT_MS });
		const why = page.locator('#order-ended .reason');
		await why.waitFor();
		assert.equal(await why.getAttribute('data-reason-code'), 'closing');
		const text = (await why.textContent()).replace(/\s+/g, ' ');
		assert.ok(text.includes(VOCAB.closing[0]), text);
		assert.ok(text.includes(VOCAB.closing[1]), text);
		assert.ok(text.includes('재료 준비 끝'), text);
		await shot(page, 'est-05-order-rejected-phone');
	} finally {
		await cust.close();
		await owner.close();
	}
	assert.deepEqual(pageErrors, []);
});
