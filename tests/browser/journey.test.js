/*
 * journey.test.js - the pages in a real browser (node --test).
 *
 * playwright-core drives Debian's chromium headless against the stack at
 * FD_URL (loopback only; every other request is aborted).  Screenshots of
 * each page go to $FD_VAR/screenshots/.  Scenarios:
 *   1. a customer signs up, logs in, orders two items of store 1 and pays;
 *      the owner, watching the admin page, sees the ticket appear without
 *      a reload, accepts, marks prepared, then delivered; the customer's
 *      order page shows Delivered (and MyPage, once it exists);
 *   2. a cancel while Paid: Canceled, the cancel button gone, refunded;
 *   3. the declined card: a friendly 402 message and no order;
 *   4. payment busy (503, the payment-fail fault hook of test builds):
 *      "pay again shortly" with a retry that places exactly one order;
 *   5. the owner edits the menu (price, sold out) and a customer sees it;
 *      the item is put back as it was.
 * Every status, step and payment the pages and MyPage show on the way is
 * in the words of ui/vocab.tsv, read here from the source.
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const H = require('./harness');
const { BASE, OWNER1, OWNER2, PHONE, DESKTOP, STEP_MS, VOCAB, pageErrors } = H;

const FAULTS = process.env.FD_FAULT_DIR || '';
const EVENT_MS = 15000;		/* something that follows a relayed event */

let browser;

before(async () => {
	browser = await H.launch({ clearShots: true });
});

after(async () => {
	if (browser)
		await browser.close();
});

/* A context of the test browser (harness.js): a phone-sized one is a touch phone. */
const newContext = (viewport) => H.newContext(browser, viewport, { mobile: true });
const shot = (page, name, fullPage = true) =>
    H.shot(page, name, fullPage);

/* On a failure, a picture of every open page, then the failure. */
async function pictured(name, pages, fn) {
	try {
		await fn();
	} catch (e) {
		for (const [i, p] of pages().entries())
			if (p && !p.isClosed())
				await shot(p, 'FAIL-' + name + '-' + i, false)
				    .catch(() => {});
		throw e;
	}
}

function uniqueEmail(tag) {
	return 'web-' + tag + '-' + Date.now() + '-' +
	    crypto.randomBytes(4).toString('hex') + '@example.com';
}

/* A customer through the API (its cookie lands in ctx), for scenarios 2-4. */
async function apiCustomer(ctx, tag) {
	const email = uniqueEmail(tag), password = 'correct horse ' + tag;
	let r = await ctx.request.post(BASE + '/auth/signup', { data: {
	    email, password, name: '이영희', phone: '010-9876-5432',
	    address: '부산 해운대구 1' } });
	assert.equal(r.status(), 201, 'signup: ' + await r.text());
	r = await ctx.request.post(BASE + '/auth/login', { data: { email,
	    password } });
	assert.equal(r.status(), 200, 'login: ' + await r.text());
	return email;
}

async function apiJson(page, method, p, body) {
	return page.evaluate(async ([m, u, b]) => {
		const r = await fetch(u, { method: m, credentials: 'same-origin',
		    headers: b ? { 'Content-Type': 'application/json' } : {},
		    body: b ? JSON.stringify(b) : undefined });
		return { status: r.status, body: await r.json().catch(() => null) };
	}, [method, p, body]);
}

/* The menu's first n items that are not sold out: [{menuId, name}]. */
async function available(page, n) {
	await page.locator('#menu li[data-menu-id]').first().waitFor();
	const rows = page.locator('#menu li[data-menu-id]:not(.is-soldout)');
	const count = await rows.count();
	assert.ok(count >= n, 'store needs ' + n + ' items not sold out, has ' +
	    count);
	const out = [];
	for (let i = 0; i < n; i++)
		out.push({
			menuId: await rows.nth(i).getAttribute('data-menu-id'),
			name: (await rows.nth(i).locator('.name').textContent()).trim(),
		});
	return out;
}

async function addToCart(page, item, times) {
	const btn = page.locator('#menu li[data-menu-id="' + item.menuId +
	    '"] button.add');
	for (let i = 0; i < times; i++)
		await btn.click();
}

/* From a store page with a filled cart: checkout, returns the page there. */
async function toCheckout(page) {
	await page.locator('#to-checkout').click();
	await page.waitForURL(/\/checkout\.html/);
	await page.locator('#summary tr').first().waitFor();
}

/* After a 201 the page opens the order and says it is placed and paid. */
async function orderIdFromUrl(page) {
	await page.waitForURL(/\/order\.html\?id=\d+/);
	await page.locator('#placed').waitFor();
	return Number(new URL(page.url()).searchParams.get('id'));
}

async function statusIs(page, status, timeout) {
	await page.locator('#order-status[data-status="' + status + '"]')
	    .waitFor({ timeout: timeout || STEP_MS });
	await says(page.locator('#order-status'), status);
}

/* The element reads name's words from ui/vocab.tsv, Korean then English. */
async function says(loc, name) {
	assert.ok(VOCAB[name], name + ' is in ui/vocab.tsv');
	const text = (await loc.textContent()).replace(/\s+/g, ' ').trim();
	assert.equal(text, VOCAB[name].join(' '), 'the words for ' + name);
}

test('journey: sign up, order two items, the owner takes it to Delivered',
    { timeout: 90000 }, async (t) => {
	const cust = await newContext(PHONE);
	const owner = await newContext(DESKTOP);
	const page = await cust.newPage();
	const admin = await owner.newPage();
	const email = uniqueEmail('journey'), password = 'correct horse battery';
	/* Markup in user text must come out as text, never as HTML. */
	const address = '서울 종로구 세종대로 1 <img src=x onerror="window.__xss=1"><b>2층</b>';

	await pictured('journey', () => [page, admin], async () => {
		/* The customer signs up, then logs in. */
		await page.goto(BASE + '/index.html');
		await page.locator('#stores li[data-store-id]').first().waitFor();
		await shot(page, '01-stores-phone');
		await page.goto(BASE + '/signup.html');
		await page.getByLabel('이메일').fill(email);
		await page.getByLabel('비밀번호').fill(password);
		await page.getByLabel('이름').fill('김민수');
		await page.getByLabel('전화번호').fill('010-1234-5678');
		await page.getByLabel('주소').fill('서울 종로구 세종대로 1');
		await shot(page, '02-signup-phone');
		await page.getByRole('button', { name: /가입하기/ }).click();
		await page.waitForURL(/\/login\.html/);
		assert.equal(await page.getByLabel('이메일').inputValue(), email);
		await page.getByLabel('비밀번호').fill(password);
		await shot(page, '03-login-phone');
		await page.getByRole('button', { name: /^로그인/ }).click();
		await page.waitForURL(/\/index\.html/);
		await page.locator('#who-text').waitFor();
		/* The header greets the customer by name (profile.test.js). */
		assert.match(await page.locator('#who-text').textContent(), /김민수/);

		/* The owner logs in on the admin page and watches the queue. */
		await admin.goto(BASE + '/admin.html');
		await admin.getByLabel('이메일').fill(OWNER1.email);
		await admin.getByLabel('비밀번호').fill(OWNER1.password);
		await admin.getByRole('button', { name: /^로그인/ }).click();
		await admin.locator('#dash').waitFor();
		await admin.locator('#menu-edit li[data-menu-id]').first().waitFor();
		await admin.waitForFunction(() =>
		    /\d{1,2}:\d{2}/.test(document.querySelector('#live').textContent));
		await admin.evaluate(() => { window.__sameDocument = true; });

		/* Store 1: two items, the first twice. */
		await page.locator('#stores li[data-store-id="1"] a.btn').click();
		await page.waitForURL(/\/store\.html\?id=1/);
		const [a, b] = await available(page, 2);
		await addToCart(page, a, 2);
		await addToCart(page, b, 1);
		assert.equal(await page.locator('#cart li').count(), 2);
		assert.equal(await page.locator('#cart-count').textContent(), '3');
		const cartTotal = await page.locator('#cart-total').textContent();
		await shot(page, '04-store-menu-cart-phone');

		await toCheckout(page);
		await page.getByLabel('배달 주소').fill(address);
		await page.getByLabel('연락처').fill('010-1234-5678');
		await page.getByLabel('카드 번호').fill('4242 4242 4242 4242');
		await shot(page, '05-checkout-phone');
		await page.getByRole('button', { name: /결제하기/ }).click();
		const orderId = await orderIdFromUrl(page);
		t.diagnostic('order ' + orderId);
		await statusIs(page, 'Paid');
		for (const step of ['Paid', 'Accepted', 'Prepared',
		    'DeliveryStarted', 'Delivered'])
			await says(page.locator('#timeline li[data-step="' + step +
			    '"]'), step);
		await says(page.locator('#payment [data-status="Approved"]'),
		    'Approved');
		assert.equal(await page.locator('#amount').textContent(), cartTotal);
		assert.equal(await page.locator('#items tr').count(), 2);
		assert.ok(await page.locator('#cancel').isVisible());
		await page.getByText(address, { exact: true }).waitFor();
		await shot(page, '06-order-paid-phone');

		/* The ticket appears on the owner's page without a reload. */
		const ticket = () => admin.locator('#queue li[data-order-id="' +
		    orderId + '"]');
		await ticket().waitFor({ timeout: EVENT_MS });
		assert.equal(await admin.evaluate(() => window.__sameDocument), true,
		    'the admin page was reloaded');
		assert.equal(await ticket().getAttribute('data-status'), 'Paid');
		await says(ticket().locator('.head .badge[data-status]'), 'Paid');
		assert.equal(await ticket().locator('ul.lines li').count(), 2);
		await ticket().getByText(address, { exact: true }).waitFor();
		assert.ok(await ticket().locator('button.reject').isVisible());
		assert.equal(await ticket().locator('button.prepared').count(), 0);
		/* Above the queue, a line for it that scrolls to it. */
		await shot(admin, '07-admin-new-order-desktop', false);
		await admin.locator('#queue-new button[data-order-id="' + orderId +
		    '"]').click();
		await admin.waitForFunction((id) => {
			const r = document.querySelector('#queue li[data-order-id="' +
			    id + '"]').getBoundingClientRect();
			return r.top >= 0 && r.top < innerHeight;
		}, orderId);
		await shot(admin, '08-admin-ticket-desktop', false);
		await admin.setViewportSize(PHONE);
		await ticket().scrollIntoViewIfNeeded();
		await shot(admin, '08b-admin-ticket-phone', false);
		await admin.setViewportSize(DESKTOP);

		await ticket().locator('button.accept[data-minutes="20"]').click();
		await admin.locator('#queue li[data-order-id="' + orderId +
		    '"][data-status="Accepted"]').waitFor();
		assert.equal(await ticket().locator('button.accept').count(), 0);
		assert.equal(await ticket().locator('button.reject').count(), 0);
		await statusIs(page, 'Accepted', EVENT_MS);
		await ticket().scrollIntoViewIfNeeded();
		await shot(admin, '09-admin-accepted-desktop', false);

		await says(ticket().locator('.head .badge[data-status]'),
		    'Accepted');
		await says(ticket().locator('button.prepared'), 'Prepared');
		await ticket().locator('button.prepared').click();
		await ticket().waitFor({ state: 'detached' });
		const delivery = admin.locator('#deliveries li[data-order-id="' +
		    orderId + '"]');
		await delivery.waitFor({ timeout: EVENT_MS });
		await delivery.scrollIntoViewIfNeeded();
		await shot(admin, '10-admin-delivery-desktop', false);
		await says(delivery.locator('.head .badge[data-status]'),
		    'DeliveryStarted');
		await says(delivery.locator('button.delivered'), 'Delivered');
		await delivery.locator('button.delivered').click();
		await delivery.waitFor({ state: 'detached' });
		await shot(admin, '11-admin-delivered-desktop', false);

		/* The customer's page follows by itself, to Delivered. */
		await statusIs(page, 'Delivered', EVENT_MS);
		assert.equal(await page.locator('#cancel-box').isVisible(), false);
		assert.equal(await page.locator('#timeline li.done').count(), 5);
		await shot(page, '12-order-delivered-phone');
		const r = await apiJson(page, 'GET', '/orders/' + orderId);
		assert.equal(r.status, 200);
		assert.equal(r.body.status, 'Delivered');

		/* The user's markup stayed text everywhere. */
		for (const p of [page, admin]) {
			assert.equal(await p.evaluate(() => window.__xss), undefined);
			assert.equal(await p.locator('main img').count(), 0);
		}

		await page.goto(BASE + '/orders.html');
		await page.locator('#orders li[data-order-id="' + orderId +
		    '"][data-status="Delivered"]').waitFor();
		await shot(page, '13-orders-phone');

		/* MyPage, rendered by the order program, shows it Delivered. */
		const mp = await cust.request.get(BASE + '/mypage');
		{
			assert.equal(mp.status(), 200, 'GET /mypage');
			let text = '';
			const until = Date.now() + EVENT_MS;
			for (;;) {
				await page.goto(BASE + '/mypage');
				text = await page.locator('body').innerText();
				if ((text.includes('Delivered') &&
				    text.includes(String(orderId))) || Date.now() > until)
					break;
				await page.waitForTimeout(1000);
			}
			await shot(page, '14-mypage-phone');
			assert.ok(text.includes(String(orderId)),
			    'MyPage shows order ' + orderId);
			assert.ok(text.includes('Delivered'), 'MyPage shows Delivered');
			const art = page.locator('#order-' + orderId);
			await says(art.locator('p.status'), 'Delivered');
			for (const step of ['Paid', 'Accepted', 'Prepared',
			    'DeliveryStarted', 'Delivered'])
				assert.ok((await art.locator('ol.timeline')
				    .textContent()).includes(VOCAB[step].join(' ')),
				    'MyPage\'s timeline says ' + VOCAB[step]);
		}
	});
	await cust.close();
	await owner.close();
});

test('cancel while Paid: Canceled, no cancel button, refunded',
    { timeout: 60000 }, async () => {
	const ctx = await newContext(PHONE);
	const page = await ctx.newPage();
	await pictured('cancel', () => [page], async () => {
		await apiCustomer(ctx, 'cancel');
		await page.goto(BASE + '/store.html?id=2');
		const [a] = await available(page, 1);
		await addToCart(page, a, 1);
		await toCheckout(page);
		await page.getByLabel('배달 주소').fill('서울 동작구 노들로 2');
		await page.getByLabel('연락처').fill('010-2222-3333');
		await page.getByLabel('카드 번호').fill('5555 4444 3333 1111');
		await page.getByRole('button', { name: /결제하기/ }).click();
		const orderId = await orderIdFromUrl(page);
		await statusIs(page, 'Paid');
		await page.getByLabel('취소 사유').fill('주문을 잘못했어요');
		await page.getByRole('button', { name: /주문 취소하기/ }).click();
		await statusIs(page, 'Canceled');
		await page.locator('#cancel').waitFor({ state: 'hidden' });
		await page.locator('#payment [data-status="Refunded"]')
		    .waitFor({ timeout: EVENT_MS });
		await says(page.locator('#payment [data-status="Refunded"]'),
		    'Refunded');
		await shot(page, '15-order-canceled-phone');
		await page.reload();
		await statusIs(page, 'Canceled');
		assert.equal(await page.locator('#cancel').isVisible(), false);
		const r = await apiJson(page, 'GET', '/orders/' + orderId);
		assert.equal(r.body.status, 'Canceled');
	});
	await ctx.close();
});

test('declined card: a friendly 402 message and no order',
    { timeout: 60000 }, async () => {
	const ctx = await newContext(DESKTOP);
	const page = await ctx.newPage();
	await pictured('declined', () => [page], async () => {
		await apiCustomer(ctx, 'declined');
		await page.goto(BASE + '/store.html?id=1');
		const [a] = await available(page, 1);
		await addToCart(page, a, 1);
		await shot(page, '16-store-menu-desktop');
		await toCheckout(page);
		await page.getByLabel('배달 주소').fill('서울 중구 1');
		await page.getByLabel('연락처').fill('010-4444-5555');
		await page.getByLabel('카드 번호').fill('4000 0000 0000 0002');
		await page.getByRole('button', { name: /결제하기/ }).click();
		const result = page.locator('#result.error');
		await result.waitFor();
		const text = await result.textContent();
		assert.match(text, /거절/);
		assert.match(text, /declined/);
		assert.match(page.url(), /\/checkout\.html/);
		assert.equal(await page.locator('#summary tr').count(), 1,
		    'the cart is kept for another try');
		await shot(page, '17-checkout-declined-desktop');
		await page.goto(BASE + '/orders.html');
		await page.locator('#orders-empty').waitFor();
		assert.equal(await page.locator('#orders li').count(), 0);
		await shot(page, '18-orders-empty-desktop');
		const r = await apiJson(page, 'GET', '/orders');
		assert.equal(r.status, 200);
		assert.deepEqual(r.body.orders, []);
	});
	await ctx.close();
});

test('payment busy (503): pay again shortly, one order',
    { timeout: 60000, skip: FAULTS ? false : 'needs FD_FAULT_DIR (a test build)' },
    async () => {
	const ctx = await newContext(PHONE);
	const page = await ctx.newPage();
	const fault = path.join(FAULTS, 'payment-fail');
	await pictured('busy', () => [page], async () => {
		await apiCustomer(ctx, 'busy');
		await page.goto(BASE + '/store.html?id=1');
		const [a] = await available(page, 1);
		await addToCart(page, a, 1);
		await toCheckout(page);
		await page.getByLabel('배달 주소').fill('서울 강남구 1');
		await page.getByLabel('연락처').fill('010-5555-6666');
		await page.getByLabel('카드 번호').fill('4242424242424242');
		fs.mkdirSync(FAULTS, { recursive: true });
		fs.writeFileSync(fault, '1\n');
		try {
			await page.getByRole('button', { name: /결제하기/ }).click();
			const result = page.locator('#result.warn');
			await result.waitFor();
			assert.match(await result.textContent(), /다시 결제/);
			assert.ok(await page.locator('#retry').isDisabled(),
			    'the retry waits for Retry-After');
			await shot(page, '19-checkout-busy-phone');
		} finally {
			fs.rmSync(fault, { force: true });
		}
		await page.locator('#retry:enabled').waitFor({ timeout: 20000 });
		await page.locator('#retry').click();
		const orderId = await orderIdFromUrl(page);
		await statusIs(page, 'Paid');
		const r = await apiJson(page, 'GET', '/orders');
		assert.deepEqual(r.body.orders.map((o) => o.orderId), [orderId]);
	});
	await ctx.close();
});

test('menu editing: price and sold out reach the customers\' menu',
    { timeout: 60000 }, async () => {
	const owner = await newContext(PHONE);
	const anon = await newContext(DESKTOP);
	const admin = await owner.newPage();
	const page = await anon.newPage();
	let item = null;
	await pictured('menu', () => [admin, page], async () => {
		await admin.goto(BASE + '/admin.html');
		await admin.getByLabel('이메일').fill(OWNER2.email);
		await admin.getByLabel('비밀번호').fill(OWNER2.password);
		await admin.getByRole('button', { name: /^로그인/ }).click();
		const row = admin.locator('#menu-edit li[data-menu-id]').last();
		await row.waitFor();
		item = {
			menuId: await row.getAttribute('data-menu-id'),
			price: Number(await row.locator('input[type=number]')
			    .inputValue()),
			soldOut: await row.locator('input[type=checkbox]').isChecked(),
		};
		const price = item.price === 12300 ? 12400 : 12300;
		await row.getByLabel('가격').fill(String(price));
		await row.getByLabel('품절').setChecked(true);
		await row.getByRole('button', { name: /저장/ }).click();
		await row.locator('.saved', { hasText: '저장됨' }).waitFor();
		await row.scrollIntoViewIfNeeded();
		await shot(admin, '20-admin-menu-phone', false);

		await page.goto(BASE + '/store.html?id=2');
		const li = page.locator('#menu li[data-menu-id="' + item.menuId +
		    '"]');
		await li.waitFor();
		assert.match(await li.getAttribute('class'), /is-soldout/);
		assert.match(await li.textContent(), /품절/);
		assert.equal(await li.locator('.price').textContent(),
		    price.toLocaleString('ko-KR') + '원');
		assert.ok(await li.locator('button.add').isDisabled());
		await shot(page, '21-store-soldout-desktop');
	}).finally(async () => {
		/* Put the item back as it was, whatever happened above. */
		if (item) {
			/* The context's cookie, without a browser's Origin:
			 * the header the pages send (README, "Errors"). */
			const r = await owner.request.patch(BASE + '/stores/2/menu/' +
			    item.menuId, { data: { price: item.price,
			    soldOut: item.soldOut },
			    headers: { 'X-Requested-With': 'fetch' } });
			assert.equal(r.status(), 200, 'restore the menu item');
		}
		await owner.close();
		await anon.close();
	});
});

test('no uncaught errors in the pages', () => {
	assert.deepEqual(pageErrors, []);
});
