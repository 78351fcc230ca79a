/*
 * harness.js - what every browser test (*.test.js) shares: the stack it
 * drives (FD_URL, on this machine only), the test browser (Debian's
 * chromium, headless, playwright-core), a context that reaches nothing but
 * the stack and records every page's script errors in pageErrors, the
 * screenshots' folder, the demo owners, the two screen sizes and the
 * words of ui/vocab.tsv.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const BASE = (process.env.FD_URL || 'http://127.0.0.1:8088').replace(/\/+$/, '');
const VAR = process.env.FD_VAR || path.resolve(__dirname, '../../var');
const SHOTS = path.join(VAR, 'screenshots');
const CHROMIUM = process.env.FD_CHROMIUM || '/usr/bin/chromium';
const OWNER1 = { email: 'owner1@fishdelivery.test', password: 'fish-owner-1' };
const OWNER2 = { email: 'owner2@fishdelivery.test', password: 'fish-owner-2' };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const STEP_MS = 10000;		/* one action or wait */

/* Each status's words, by name: [Korean, English] (ui/vocab.tsv). */
const VOCAB = Object.fromEntries(fs.readFileSync(path.resolve(__dirname,
    '../../ui/vocab.tsv'), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t')).map(([n, ko, en]) => [n, [ko, en]]));

const origin = new URL(BASE);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(origin.hostname))
	throw new Error('FD_URL must be on this machine (loopback): ' + BASE);

/* "url: message" of every script error on any page a context opened. */
const pageErrors = [];

/* The browser; with clearShots, the screenshots of earlier runs go. */
async function launch({ clearShots = false } = {}) {
	fs.mkdirSync(SHOTS, { recursive: true });
	if (clearShots)
		for (const f of fs.readdirSync(SHOTS))
			if (f.endsWith('.png'))
				fs.rmSync(path.join(SHOTS, f));
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		timeout: 30000,
		args: ['--no-sandbox', '--disable-gpu',
		    '--disable-background-networking',
		    '--disable-component-update', '--no-first-run',
		    '--disable-dev-shm-usage'],
	});
}

/*
 * A context of browser at viewport, in Seoul and Korean, whose requests
 * reach the stack only; mobile: a viewport under 500 px wide is a touch
 * phone.
 */
async function newContext(browser, viewport, { mobile = false } = {}) {
	const phone = mobile && viewport.width < 500;
	const ctx = await browser.newContext({
		viewport,
		locale: 'ko-KR',
		timezoneId: 'Asia/Seoul',
		hasTouch: phone,
		isMobile: phone,
		deviceScaleFactor: 1,
	});
	ctx.setDefaultTimeout(STEP_MS);
	ctx.setDefaultNavigationTimeout(STEP_MS);
	await ctx.route('**/*', (route) => {
		const u = new URL(route.request().url());
		if (u.origin === origin.origin)
			return route.continue();
		return route.abort('blockedbyclient');
	});
	ctx.on('page', (page) => page.on('pageerror', (e) =>
	    pageErrors.push(page.url() + ': ' + (e && e.message))));
	return ctx;
}

/* $SHOTS/file.png of page (the whole page, or the viewport). */
async function shot(page, file, fullPage) {
	await page.screenshot({ path: path.join(SHOTS, file + '.png'),
	    fullPage, animations: 'disabled' });
}

module.exports = { BASE, VAR, SHOTS, OWNER1, OWNER2, PHONE, DESKTOP, STEP_MS,
    VOCAB, pageErrors, launch, newContext, shot };
