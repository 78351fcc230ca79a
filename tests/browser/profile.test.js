/*
 * profile.test.js - the customer's profile on the pages (node --test,
 * playwright-core and Debian's chromium headless, like journey.test.js):
 *   1. the header says the customer's name;
 *   2. the checkout is filled in from the profile (GET /auth/me); an
 *      address changed there is for that order only, and with "save to
 *      my profile" ticked it becomes the profile's (PATCH /auth/me);
 *   3. the profile page changes name, phone and address with signup's
 *      rules: a bad phone is refused before anything is sent, a good
 *      change is saved and the header says the new name.
 * Screenshots go to $FD_VAR/screenshots/ (profile-*.png).
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const H = require('./harness');
const { BASE, PHONE, pageErrors } = H;

let browser;

before(async () => {
	browser = await H.launch();
});

after(async () => {
	if (browser)
		await browser.close();
});

/* A context of the test browser (harness.js): a phone-sized one is a touch phone. */
const newContext = (viewport) => H.newContext(browser, viewport, { mobile: true });
const shot = (page, name) => H.shot(page, 'profile-' + name, true);

/* A customer signed up and logged in through the API (cookie in ctx). */
async function customer(ctx, profile) {
	const email = 'web-profile-' + Date.now() + '-' +
	    crypto.randomBytes(4).toString('hex') + '@example.com';
	const password = 'correct horse profile';
	let r = await ctx.request.post(BASE + '/auth/signup', { data: {
	    email, password, ...profile } });
	assert.equal(r.status(), 201, 'signup: ' + await r.text());
	r = await ctx.request.post(BASE + '/auth/login', { data: { email,
	    password } });
	assert.equal(r.status(), 200, 'login: ' + await r.text());
	return email;
}

/* GET /auth/me as the page's customer. */
async function me(ctx) {
	const r = await ctx.request.get(BASE + '/auth/me');
	assert.equal(r.status(), 200);
	return r.json();
}

/* Store 1's first item not sold out into the cart, then the checkout. */
async function checkout(page) {
	await page.goto(BASE + '/store.html?id=1');
	const row = page.locator('#menu li[data-menu-id]:not(.is-soldout)')
	    .first();
	await row.waitFor();
	await row.locator('button.add').click();
	await page.locator('#to-checkout').click();
	await page.waitForURL(/\/checkout\.html/);
	await page.locator('#summary tr').first().waitFor();
	/* Filled once GET /auth/me has answered. */
	await page.waitForFunction(() =>
	    document.querySelector('#address').value !== '');
}

/* Pays with a card that is approved; the order's id. */
async function pay(page) {
	await page.getByLabel('카드 번호').fill('4242 4242 4242 4242');
	await page.getByRole('button', { name: /결제하기/ }).click();
	await page.waitForURL(/\/order\.html\?id=\d+/);
	await page.locator('#placed').waitFor();
	return Number(new URL(page.url()).searchParams.get('id'));
}

test('profile: the header says the name, the checkout is pre-filled',
    { timeout: 90000 }, async (t) => {
	const ctx = await newContext(PHONE);
	const page = await ctx.newPage();
	const signup = { name: '박하늘 <b>', phone: '010-2468-1357',
	    address: '인천 연수구 송도 1' };
	try {
		await customer(ctx, signup);

		/* 1. The header: the name, as text (markup stays text). */
		await page.goto(BASE + '/index.html');
		const who = page.locator('#who-text');
		await who.waitFor();
		assert.match(await who.textContent(), /박하늘 <b>/);
		assert.equal(await page.locator('#who b').count(), 0);
		assert.equal(await who.getAttribute('href'), '/profile.html');
		await shot(page, '01-header');

		/* 2. The checkout starts from the profile. */
		await checkout(page);
		assert.equal(await page.getByLabel('배달 주소').inputValue(),
		    signup.address);
		assert.equal(await page.getByLabel('연락처').inputValue(),
		    signup.phone);
		assert.ok(await page.locator('#save-field').isHidden());
		await shot(page, '02-checkout-prefilled');

		/* Changed for this order only: the profile stays. */
		await page.getByLabel('배달 주소').fill('인천 남동구 2');
		assert.ok(await page.locator('#save-field').isVisible());
		let id = await pay(page);
		t.diagnostic('order ' + id + ' to another address');
		await page.getByText('인천 남동구 2', { exact: true }).waitFor();
		assert.equal((await me(ctx)).address, signup.address);

		/* Changed and saved to the profile. */
		await checkout(page);
		assert.equal(await page.getByLabel('배달 주소').inputValue(),
		    signup.address);
		await page.getByLabel('배달 주소').fill('인천 중구 3');
		await page.getByLabel('내 정보에도 저장').check();
		await shot(page, '03-checkout-save');
		id = await pay(page);
		t.diagnostic('order ' + id + ', address saved');
		await page.getByText('인천 중구 3', { exact: true }).waitFor();
		assert.equal((await me(ctx)).address, '인천 중구 3');
		await checkout(page);
		assert.equal(await page.getByLabel('배달 주소').inputValue(),
		    '인천 중구 3');

		/* 3. The profile page: signup's rules, then saved. */
		await page.goto(BASE + '/profile.html');
		await page.locator('#profile-form').waitFor();
		assert.equal(await page.getByLabel('이름').inputValue(),
		    signup.name);
		assert.equal(await page.getByLabel('주소').inputValue(),
		    '인천 중구 3');
		await page.getByLabel('전화번호').fill('call me');
		await page.getByRole('button', { name: /저장하기/ }).click();
		await page.locator('#msg.error').waitFor();
		assert.equal(await page.getByLabel('전화번호')
		    .getAttribute('aria-invalid'), 'true');
		assert.equal((await me(ctx)).phone, signup.phone);
		await shot(page, '04-profile-refused');
		await page.getByLabel('전화번호').fill('+82 10-1111-2222');
		await page.getByLabel('이름').fill('박바다');
		await page.getByRole('button', { name: /저장하기/ }).click();
		await page.locator('#msg.ok').waitFor();
		const now = await me(ctx);
		assert.equal(now.name, '박바다');
		assert.equal(now.phone, '+82 10-1111-2222');
		assert.equal(now.address, '인천 중구 3');
		await page.waitForFunction(() => /박바다/.test(
		    document.querySelector('#who-text').textContent));
		await shot(page, '05-profile-saved');
		assert.deepEqual(pageErrors, []);
	} catch (e) {
		await shot(page, 'FAIL').catch(() => {});
		throw e;
	} finally {
		await ctx.close();
	}
});
