#!/usr/bin/env node
/*
 * check.js - contract tests: every response the integration tests received
 * through the public gateway, checked against the OpenAPI description.
 *
 *   node tests/contract/check.js LOG.jsonl htdocs/openapi.yaml
 *
 * LOG.jsonl is what tests/integration/it_http.c appends with
 * $FD_CONTRACT_LOG set: one {"method","path","query","status",
 * "contentType","body"} per response.  The spec itself is first validated
 * against the OpenAPI 3.0 schema (@seriousme/openapi-schema-validator);
 * then each response is matched to an operation (path templates such as
 * /orders/{orderId}, path parameters checked against their schemas), its
 * status must be documented for that operation, its Content-Type must be
 * one the spec gives for that status, and a JSON body must validate
 * against the response schema (ajv, with OpenAPI 3.0's `nullable`
 * rewritten into JSON Schema).  A response to a path or method the spec
 * does not describe passes only if it is the gateway's JSON error
 * (400/403/404/405/413/414) and matches the Error schema.
 *
 * Prints every mismatch, then "N passed, N failed"; exits 1 if any failed.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const SPEC_ID = 'openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch',
	'trace'];
/* What the gateway or a program answers for a path/method it does not serve. */
const UNROUTED = new Set([400, 403, 404, 405, 413, 414]);

function usage() {
	console.error('usage: check.js CONTRACT_LOG.jsonl OPENAPI.yaml');
	process.exit(2);
}

/* OpenAPI 3.0 Schema Object -> JSON Schema (draft 7 as ajv reads it). */
function toJsonSchema(s) {
	if (Array.isArray(s))
		return s.map(toJsonSchema);
	if (s === null || typeof s !== 'object')
		return s;
	const out = {};
	for (const [k, v] of Object.entries(s)) {
		if (k === 'nullable' || k === 'example' || k === 'xml' ||
		    k === 'externalDocs' || k === 'discriminator' ||
		    k === 'deprecated')
			continue;
		if (k === '$ref' && typeof v === 'string' &&
		    v.startsWith('#/components/schemas/'))
			out.$ref = SPEC_ID + '#/$defs/' +
			    v.slice('#/components/schemas/'.length);
		else if (k === 'properties' || k === 'patternProperties') {
			out[k] = {};
			for (const [pk, pv] of Object.entries(v))
				out[k][pk] = toJsonSchema(pv);
		} else
			out[k] = toJsonSchema(v);
	}
	if (s.nullable === true) {
		if (typeof out.type === 'string') {
			out.type = [out.type, 'null'];
			if (Array.isArray(out.enum) && !out.enum.includes(null))
				out.enum = [...out.enum, null];
		} else
			return { anyOf: [out, { type: 'null' }] };
	}
	return out;
}

/* Follows a local "#/a/b" reference in the document. */
function deref(doc, obj) {
	let seen = 0;

	while (obj && typeof obj.$ref === 'string') {
		if (!obj.$ref.startsWith('#/') || ++seen > 20)
			throw new Error('cannot resolve ' + obj.$ref);
		obj = obj.$ref.slice(2).split('/').reduce((o, k) =>
		    o === undefined ? undefined :
		    o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
		if (obj === undefined)
			throw new Error('dangling reference');
	}
	return obj;
}

/* One matcher per path of the spec: a regex and its parameters' schemas. */
function buildRoutes(spec, ajv) {
	const routes = [];

	for (const [tpl, item0] of Object.entries(spec.paths || {})) {
		const item = deref(spec, item0);
		const names = [];
		const re = new RegExp('^' + tpl.split(/(\{[^}]+\})/).map(part => {
			const m = /^\{([^}]+)\}$/.exec(part);
			if (m) {
				names.push(m[1]);
				return '([^/]+)';
			}
			return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		}).join('') + '$');
		/* Path-level parameters, then any an operation declares. */
		const params = {};
		const collect = list => {
			for (const p0 of list || []) {
				const p = deref(spec, p0);
				if (p.in === 'path' && p.schema)
					params[p.name] = ajv.compile(
					    toJsonSchema(p.schema));
			}
		};
		collect(item.parameters);
		for (const m of METHODS)
			if (item[m])
				collect(item[m].parameters);
		routes.push({ tpl, item, re, names, params });
	}
	/* Literal paths before templates: fewest parameters first. */
	routes.sort((a, b) => a.names.length - b.names.length);
	return routes;
}

function coerce(raw, validate) {
	/* A path segment is text; numbers are checked as numbers. */
	if (/^-?[0-9]+$/.test(raw) && validate(Number(raw)))
		return true;
	return validate(raw);
}

function matchRoute(routes, p) {
	let decoded;

	for (const r of routes) {
		const m = r.re.exec(p);
		if (!m)
			continue;
		let ok = true;
		r.names.forEach((n, i) => {
			try {
				decoded = decodeURIComponent(m[i + 1]);
			} catch (e) {
				decoded = m[i + 1];
			}
			if (r.params[n] && !coerce(decoded, r.params[n]))
				ok = false;
		});
		if (ok)
			return r;
	}
	return null;
}

function mediaBase(ct) {
	return (ct || '').split(';')[0].trim().toLowerCase();
}

function isJsonMedia(mt) {
	return mt === 'application/json' || /\+json$/.test(mt);
}

function ajvMessage(validate) {
	return (validate.errors || []).map(e =>
	    (e.instancePath || '/') + ' ' + e.message +
	    (e.params && e.params.additionalProperty ?
	    ' (' + e.params.additionalProperty + ')' :
	    e.params && e.params.allowedValues ?
	    ' (' + JSON.stringify(e.params.allowedValues) + ')' : '')).join('; ');
}

async function main() {
	const [logFile, specFile] = process.argv.slice(2);
	if (!logFile || !specFile)
		usage();
	const t0 = Date.now();
	const spec = YAML.parse(fs.readFileSync(specFile, 'utf8'));

	/* 1. The document itself, against the OpenAPI 3.0 schema. */
	const { Validator } = await import('@seriousme/openapi-schema-validator');
	const sv = new Validator();
	const res = await sv.validate(structuredClone(spec));
	if (!res.valid) {
		console.log(`FAIL ${specFile}: not a valid OpenAPI document`);
		console.log(JSON.stringify(res.errors, null, 2));
		console.log('0 passed, 1 failed');
		process.exit(1);
	}
	if (!/^3\.0\.\d+$/.test(spec.openapi || '')) {
		console.log(`FAIL ${specFile}: openapi ${spec.openapi}, want 3.0.x`);
		console.log('0 passed, 1 failed');
		process.exit(1);
	}

	/* 2. The schemas, compiled once. */
	const ajv = new Ajv({ allErrors: true, strict: true,
	    strictRequired: false, allowUnionTypes: true });
	addFormats(ajv);
	const defs = {};
	for (const [n, s] of Object.entries(
	    (spec.components && spec.components.schemas) || {}))
		defs[n] = toJsonSchema(s);
	ajv.addSchema({ $id: SPEC_ID, $defs: defs });
	for (const n of Object.keys(defs))
		ajv.getSchema(SPEC_ID + '#/$defs/' + n);	/* compile: bad refs fail now */
	const errorSchema = ajv.getSchema(SPEC_ID + '#/$defs/Error');
	if (!errorSchema)
		throw new Error('the spec has no components.schemas.Error');
	const compiled = new Map();
	const compile = s => {
		if (!compiled.has(s))
			compiled.set(s, ajv.compile(toJsonSchema(s)));
		return compiled.get(s);
	};
	const routes = buildRoutes(spec, ajv);

	/* 3. Every logged response. */
	if (!fs.existsSync(logFile)) {
		console.log(`FAIL ${logFile}: no contract log (was ` +
		    'FD_CONTRACT_LOG set for the integration tests?)');
		console.log('0 passed, 1 failed');
		process.exit(1);
	}
	const lines = fs.readFileSync(logFile, 'utf8').split('\n')
	    .filter(l => l.trim() !== '');
	let passed = 0, failed = 0, skipped = 0;
	const perOp = new Map();

	const fail = (e, msg) => {
		failed++;
		console.log(`FAIL ${e.method} ${e.path}${e.query ? '?' + e.query : ''}` +
		    ` ${e.status}: ${msg}`);
	};

	lines.forEach((line, i) => {
		let e;
		try {
			e = JSON.parse(line);
		} catch (err) {
			failed++;
			console.log(`FAIL ${logFile}:${i + 1}: not JSON: ${err.message}`);
			return;
		}
		const method = String(e.method || '').toLowerCase();
		const status = Number(e.status);
		const body = typeof e.body === 'string' ? e.body : '';
		const mt = mediaBase(e.contentType);
		const route = matchRoute(routes, e.path || '');
		const op = route && (route.item[method] ||
		    (method === 'head' ? route.item.get : undefined));

		if (!op && !route && (method === 'get' || method === 'head') &&
		    (status === 200 || status === 304) && !isJsonMedia(mt)) {
			skipped++;	/* a static file of htdocs/, not the API */
			return;
		}
		if (!op) {
			/* Not in the spec: must be a gateway/program JSON error. */
			if (!UNROUTED.has(status)) {
				fail(e, route ? `${e.method} is not documented for ` +
				    route.tpl : 'path not in the spec');
				return;
			}
			if (method === 'head' && body === '') {
				passed++;
				return;
			}
			let j;
			try {
				j = JSON.parse(body);
			} catch (err) {
				fail(e, 'undocumented path/method, and the error body ' +
				    `is not JSON (${e.contentType}): ` + body.slice(0, 80));
				return;
			}
			if (!isJsonMedia(mt)) {
				fail(e, `error Content-Type ${e.contentType}, want ` +
				    'application/json');
				return;
			}
			if (!errorSchema(j)) {
				fail(e, 'error body does not match Error: ' +
				    ajvMessage(errorSchema));
				return;
			}
			passed++;
			return;
		}
		const key = `${method.toUpperCase()} ${route.tpl}`;
		perOp.set(key, (perOp.get(key) || 0) + 1);
		const responses = op.responses || {};
		let r0 = responses[String(status)] ||
		    responses[String(status)[0] + 'XX'] || responses.default;
		if (!r0) {
			fail(e, `status ${status} is not documented for ${key} ` +
			    `(documented: ${Object.keys(responses).join(', ')})`);
			return;
		}
		const resp = deref(spec, r0);
		const content = resp.content || {};
		const types = Object.keys(content);
		if (types.length === 0 || body === '' &&
		    (status === 304 || status === 204 || method === 'head')) {
			if (body !== '' && method !== 'head') {
				fail(e, `${key} ${status} has no content in the spec, ` +
				    `got ${body.length} bytes of ${e.contentType}`);
				return;
			}
			passed++;
			return;
		}
		const media = types.find(t => mediaBase(t) === mt) ||
		    types.find(t => t === '*/*' ||
		    (t.endsWith('/*') && mt.startsWith(t.slice(0, -1))));
		if (!media) {
			fail(e, `Content-Type ${e.contentType} is not one of ` +
			    types.join(', '));
			return;
		}
		if (!isJsonMedia(mediaBase(media)) || !content[media].schema) {
			passed++;		/* text: the media type is the contract */
			return;
		}
		let j;
		try {
			j = JSON.parse(body);
		} catch (err) {
			fail(e, `body is not JSON: ${err.message}: ` +
			    body.slice(0, 80));
			return;
		}
		const validate = compile(content[media].schema);
		if (!validate(j)) {
			fail(e, ajvMessage(validate) + ' -- body: ' +
			    body.slice(0, 300));
			return;
		}
		passed++;
	});

	/* Which operations the tests never reached: information, not failure. */
	const missing = [];
	for (const r of routes)
		for (const m of METHODS)
			if (r.item[m] && !perOp.has(`${m.toUpperCase()} ${r.tpl}`))
				missing.push(`${m.toUpperCase()} ${r.tpl}`);
	if (missing.length)
		console.log(`note: no response seen for ${missing.join(', ')}`);
	if (lines.length === 0) {
		console.log(`FAIL ${logFile}: empty contract log`);
		failed++;
	}
	console.log(`contract: ${lines.length} responses from ` +
	    `${path.basename(logFile)} against ${path.basename(specFile)} ` +
	    `in ${Date.now() - t0} ms (${skipped} static files not checked)`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

main().catch(err => {
	console.log('FAIL: ' + (err && err.stack || err));
	console.log('0 passed, 1 failed');
	process.exit(1);
});
