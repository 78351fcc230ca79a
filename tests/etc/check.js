// Structural checks of etc/ (called by tests/etc/check.sh): the Prometheus
// scrape config and alert rules against the metric names the C code
// exports, the systemd units' required settings, the production nginx
// config's required directives, and the Kubernetes manifests (kinds,
// apiVersions, probes and their paths, Services, HPA targets).
// Prints "ok - ..." / "not ok - ..." lines; exits 1 on any failure.
'use strict';
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

const root = path.resolve(__dirname, '..', '..');
const etc = path.join(root, 'etc');
const CONTEXTS = ['auth', 'order', 'payment', 'fishstore', 'delivery'];
const RELAYED = ['auth', 'order', 'payment', 'fishstore', 'delivery'];
let failed = 0;

function check(name, fn) {
	try {
		const r = fn();
		if (r === false) throw new Error('false');
		console.log(`ok - ${name}`);
	} catch (e) {
		failed++;
		console.log(`not ok - ${name}: ${e.message.split('\n')[0]}`);
	}
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }
const read = (p) => fs.readFileSync(path.join(root, p), 'utf8');
const loadAll = (p) => yaml.loadAll(read(p)).filter((d) => d != null);

// The C sources: the names and labels the programs really export.
function cSources(dir) {
	let out = '';
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) out += cSources(p);
		else if (/\.[ch]$/.test(e.name)) out += fs.readFileSync(p, 'utf8');
	}
	return out;
}
const csrc = ['lib', 'cgi-bin', 'relay'].map((d) => cSources(path.join(root, d))).join('\n');

/* ---------------- Prometheus ---------------- */
const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;
let prom, alerts;
check('prometheus.yml parses as YAML', () => { prom = yaml.load(read('etc/prometheus/prometheus.yml')); assert(prom && typeof prom === 'object', 'not a mapping'); });
check('alerts.yml parses as YAML', () => { alerts = yaml.load(read('etc/prometheus/alerts.yml')); assert(alerts && Array.isArray(alerts.groups), 'no groups list'); });
check('prometheus.yml: global durations and rule_files exist', () => {
	for (const k of ['scrape_interval', 'scrape_timeout', 'evaluation_interval'])
		assert(DURATION.test(prom.global[k]), `global.${k} ${prom.global[k]}`);
	assert(Array.isArray(prom.rule_files) && prom.rule_files.length > 0, 'no rule_files');
	for (const f of prom.rule_files)
		assert(fs.existsSync(path.join(etc, 'prometheus', f)), `rule file ${f} missing`);
});
check('prometheus.yml: unique job names, each with targets', () => {
	const seen = new Set();
	for (const j of prom.scrape_configs) {
		assert(j.job_name && !seen.has(j.job_name), `job ${j.job_name} duplicate or unnamed`);
		seen.add(j.job_name);
		assert(Array.isArray(j.static_configs) && j.static_configs.every((s) => Array.isArray(s.targets) && s.targets.length), `${j.job_name}: no targets`);
		if (j.metrics_path) assert(j.metrics_path.startsWith('/'), `${j.job_name}: metrics_path`);
	}
});
for (const c of CONTEXTS)
	check(`prometheus.yml: job scrapes /${c}/metrics through 127.0.0.1:8088`, () => {
		const j = prom.scrape_configs.find((s) => s.metrics_path === `/${c}/metrics`);
		assert(j, 'no job');
		assert(j.static_configs.some((s) => s.targets.includes('127.0.0.1:8088')), 'target is not the gateway');
	});
for (const c of RELAYED)
	check(`prometheus.yml: job scrapes /relay/${c}/metrics on the internal gateway`, () => {
		const j = prom.scrape_configs.find((s) => s.metrics_path === `/relay/${c}/metrics`);
		assert(j, 'no job');
		assert(j.static_configs.some((s) => s.targets.includes('127.0.0.1:8089')), 'target is not the internal gateway');
	});
check('prometheus.yml: readiness probe job covers every /{ctx}/ready', () => {
	const j = prom.scrape_configs.find((s) => s.job_name === 'fishdelivery-ready');
	assert(j && j.metrics_path === '/probe', 'no blackbox job');
	const t = j.static_configs.flatMap((s) => s.targets);
	for (const c of CONTEXTS) assert(t.includes(`http://127.0.0.1:8088/${c}/ready`), `${c} missing`);
	for (const r of j.relabel_configs || []) if (r.regex) new RegExp(r.regex);
});

// Every metric the programs export has a "# TYPE name type" line.
const exported = new Set();
for (const m of csrc.matchAll(/# TYPE (fd_[a-z_]+) (counter|gauge|histogram|summary)/g)) {
	exported.add(m[1]);
	if (m[2] === 'histogram') for (const x of ['_bucket', '_sum', '_count']) exported.add(m[1] + x);
}
check('C sources: the metrics alerts.yml needs are exported', () => {
	for (const m of ['fd_breaker_state', 'fd_outbox_oldest_undelivered_seconds', 'fd_outbox_dead_letters', 'fd_http_requests_total'])
		assert(exported.has(m), `${m} not found`);
});
let rules = [];
check('alerts.yml: every rule well-formed', () => {
	for (const g of alerts.groups) {
		assert(g.name && Array.isArray(g.rules), 'group without name/rules');
		for (const r of g.rules) {
			assert(typeof r.alert === 'string' && /^[A-Za-z_:][A-Za-z0-9_:]*$/.test(r.alert), `bad alert name ${r.alert}`);
			assert(typeof r.expr === 'string' && r.expr.trim(), `${r.alert}: no expr`);
			if (r.for !== undefined) assert(DURATION.test(r.for), `${r.alert}: for ${r.for}`);
			assert(r.labels && r.labels.severity, `${r.alert}: no severity`);
			// brackets and quotes balanced
			const e = r.expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
			assert(!e.includes('"') || (e.match(/"/g).length % 2 === 0), `${r.alert}: quotes`);
			const st = [];
			for (const ch of e) {
				if ('({['.includes(ch)) st.push(ch);
				else if (')}]'.includes(ch)) assert(st.pop() === { ')': '(', '}': '{', ']': '[' }[ch], `${r.alert}: unbalanced ${ch}`);
			}
			assert(st.length === 0, `${r.alert}: unbalanced brackets`);
			for (const a of Object.values(r.annotations || {}))
				assert((a.match(/\{\{/g) || []).length === (a.match(/\}\}/g) || []).length, `${r.alert}: template braces`);
			rules.push(r);
		}
	}
	assert(new Set(rules.map((r) => r.alert)).size === rules.length, 'duplicate alert names');
});
check('alerts.yml: every fd_* metric and label used is exported by the C code', () => {
	for (const r of rules) {
		for (const m of r.expr.match(/\bfd_[a-z_]+/g) || [])
			assert(exported.has(m), `${r.alert}: ${m} is not a metric lib/ cgi-bin/ relay/ export (# TYPE lines)`);
		for (const m of r.expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g))
			for (const l of m[1].split(',').map((s) => s.trim()).filter(Boolean))
				assert(csrc.includes(`${l}=\\"`) || l === 'job' || l === 'instance', `${r.alert}: label ${l} never exported`);
		for (const m of r.expr.matchAll(/\{([^}]*)\}/g))
			for (const l of m[1].matchAll(/([a-z_]+)\s*(=~|!=|!~|=)/g))
				assert(csrc.includes(`${l[1]}=\\"`) || ['job', 'instance', '__name__'].includes(l[1]), `${r.alert}: label ${l[1]} never exported`);
	}
});
const want = [
	['breaker open', /fd_breaker_state\{breaker="payment",state="open"\}\s*==\s*1/, '1m'],
	['outbox lag over 60 s', /fd_outbox_oldest_undelivered_seconds\)?\s*>\s*60\b/, null],
	['dead letters', /fd_outbox_dead_letters\)?\s*>\s*0\b/, null],
	['5xx rate over 5%', /rate\(fd_http_requests_total\{status=~"5\.\."\}\[5m\]\)[\s\S]*\/[\s\S]*rate\(fd_http_requests_total\[5m\]\)[\s\S]*>\s*0\.05/, '5m'],
	['down (up == 0)', /\bup\{[^}]*\}\s*==\s*0|\bup\s*==\s*0/, null],
	['not ready (probe)', /probe_success\{job="fishdelivery-ready"\}\s*==\s*0/, null],
];
for (const [name, re, dur] of want)
	check(`alerts.yml: ${name} alert`, () => {
		const r = rules.find((x) => re.test(x.expr));
		assert(r, 'missing');
		if (dur) assert(r.for === dur, `for is ${r.for}, want ${dur}`);
	});

/* ---------------- systemd ---------------- */
function unit(file) {
	const u = {};
	let sec = null;
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		const t = line.trim();
		if (!t || t.startsWith('#') || t.startsWith(';')) continue;
		const m = /^\[(.+)\]$/.exec(t);
		if (m) { sec = m[1]; u[sec] = u[sec] || {}; continue; }
		const kv = /^([A-Za-z]+)=(.*)$/.exec(t);
		assert(sec && kv, `${path.basename(file)}: bad line ${t}`);
		(u[sec][kv[1]] = u[sec][kv[1]] || []).push(kv[2]);
	}
	return u;
}
const SANDBOX = {
	Restart: 'always', RestartSec: '1', KillSignal: 'SIGTERM', TimeoutStopSec: '15',
	NoNewPrivileges: 'yes', ProtectSystem: 'strict', ProtectHome: 'yes', PrivateTmp: 'yes',
	PrivateDevices: 'yes', ProtectKernelTunables: 'yes', ProtectKernelModules: 'yes',
	ProtectControlGroups: 'yes', RestrictAddressFamilies: 'AF_UNIX AF_INET AF_INET6',
	RuntimeDirectory: 'fishdelivery', LockPersonality: 'yes', MemoryDenyWriteExecute: 'yes',
	SystemCallFilter: '@system-service',
};
const units = CONTEXTS.map((c) => [`fishdelivery-${c}.service`, c, `/usr/local/lib/fishdelivery/cgi-bin/${c}.fcgi`])
	.concat([['fishdelivery-relay@.service', '%i', '/usr/local/lib/fishdelivery/relay'],
		['fishdelivery-reconciler.service', 'order', '/usr/local/lib/fishdelivery/cgi-bin/order.fcgi reconciler'],
		['fishdelivery-deadline.service', 'fishstore', '/usr/local/lib/fishdelivery/cgi-bin/fishstore.fcgi deadline']]);
for (const [f, ctx, exec] of units)
	check(`systemd ${f}: ExecStart, EnvironmentFile, restart and sandboxing`, () => {
		const u = unit(path.join(etc, 'systemd', f));
		const s = u.Service;
		assert(s && u.Unit && u.Install, 'missing section');
		assert(s.ExecStart && s.ExecStart.length === 1 && s.ExecStart[0] === exec, `ExecStart ${s.ExecStart}`);
		assert(s.EnvironmentFile && s.EnvironmentFile[0] === `/etc/fishdelivery/${ctx}.env`, `EnvironmentFile ${s.EnvironmentFile}`);
		for (const [k, v] of Object.entries(SANDBOX))
			assert(s[k] && s[k][s[k].length - 1] === v, `${k}=${s[k]} (want ${v})`);
		assert((s.DynamicUser && s.DynamicUser[0] === 'yes') || (s.User && s.User[0] === 'fishdelivery'), 'no DynamicUser/User');
		if (f === `fishdelivery-${ctx}.service`)	// the programs' sockets
			assert((s.Environment || []).includes(`FD_SOCKET=/run/fishdelivery/${ctx}.sock`), 'FD_SOCKET not in /run/fishdelivery');
	});

/* ---------------- nginx production.conf ---------------- */
check('nginx production.conf: TLS host, redirect, HSTS, CSP, sockets, internal bind', () => {
	const n = read('etc/nginx/production.conf').replace(/#.*$/gm, '');
	const need = [
		[/server_name fishdelivery\.example;/, 'server_name'],
		[/listen 443 ssl http2;/, 'listen 443 ssl http2'],
		[/ssl_certificate \/etc\/letsencrypt\/live\/fishdelivery\.example\/fullchain\.pem;/, 'certificate'],
		[/ssl_certificate_key \/etc\/letsencrypt\/live\/fishdelivery\.example\/privkey\.pem;/, 'key'],
		[/listen 80[ ;]/, 'listen 80'],
		[/return 301 https:\/\/fishdelivery\.example\$request_uri;/, '80 -> 443 redirect'],
		[/add_header Strict-Transport-Security "max-age=\d{8,}[^"]*" always;/, 'HSTS'],
		[/add_header Content-Security-Policy "[^"]*frame-ancestors 'none'[^"]*" always;/, 'CSP frame-ancestors'],
		[/add_header X-Content-Type-Options nosniff always;/, 'nosniff'],
		[/listen 127\.0\.0\.1:8089[ ;]/, 'internal on 127.0.0.1:8089'],
		[/location ~ \(\^\|\/\)internal\(\/\|\$\) \{ return 403; \}/, 'public server refuses internal paths'],
		[/load_module modules\/ngx_nchan_module\.so;/, 'the push module (nchan)'],
		[/location = \/events\/customer \{/, 'GET /events/customer'],
		[/location = \/events\/store \{/, 'GET /events/store'],
		[/location \^~ \/push\/ \{ return 403; \}/, 'public server refuses to publish'],
	];
	for (const [re, what] of need) assert(re.test(n), `missing ${what}`);
	const listens = [...n.matchAll(/listen\s+([^;\s]+)/g)].map((m) => m[1]);
	// The internal server: loopback, or the gateway's private address
	// (a placeholder) with only the app hosts allowed; never 0.0.0.0.
	for (const l of listens.filter((l) => /8089$/.test(l)))
		assert(l === '127.0.0.1:8089' || /^198\.51\.100\.\d+:8089$/.test(l), `8089 bound as ${l}`);
	if (listens.some((l) => /^198\.51\.100\.\d+:8089$/.test(l)))
		assert(/listen 198\.51\.100\.\d+:8089[^}]*deny all;/.test(n), 'internal server on a private address without deny all');
	// The JSON errors of the dev gateway, every one.
	const dev = read('etc/nginx/fishdelivery.conf.in');
	for (const m of dev.matchAll(/return (\d{3}) ('\{"error"[^']*')/g))
		assert(n.includes(`return ${m[1]} ${m[2]}`), `JSON error ${m[1]} differs from fishdelivery.conf.in`);
	for (const m of dev.matchAll(/location ~ (\^\/\([a-zA-Z|]+\)\(\/\|\$\))/g))
		assert(n.includes(`location ~ ${m[1]}`), `route ${m[1]} missing`);
});

// Several hosts (issue 18): every context's upstream lists two or more
// app hosts over TCP (one port per context, the same on every host),
// each with a passive health check; connect timeout and next_upstream
// rules as the cluster's gateway has them (scripts/stack.sh renders them
// into fishdelivery.conf.in; the same lines must be here).
const prod = read('etc/nginx/production.conf').replace(/#.*$/gm, '');
const upstreams = {};
for (const m of prod.matchAll(/upstream (\w+) \{([^}]*)\}/g))
	upstreams[m[1]] = [...m[2].matchAll(/server\s+([^;\s]+)([^;]*);/g)].map((s) => ({ addr: s[1], opts: s[2] }));
check('nginx production.conf: every context on two or more app hosts over TCP, passive health checks', () => {
	const portOf = {};
	for (const c of CONTEXTS) {
		const u = upstreams[c];
		assert(u && u.length >= 2, `upstream ${c}: ${u ? u.length : 0} servers`);
		const hosts = new Set(), ports = new Set();
		for (const s of u) {
			const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(s.addr);
			assert(m, `upstream ${c}: ${s.addr} is not host:port`);
			hosts.add(m[1]); ports.add(m[2]);
			assert(/max_fails=\d+/.test(s.opts) && /fail_timeout=\d+s/.test(s.opts), `upstream ${c}: ${s.addr} without max_fails/fail_timeout`);
		}
		assert(hosts.size === u.length, `upstream ${c}: a host twice`);
		assert(ports.size === 1, `upstream ${c}: ports differ between hosts`);
		portOf[c] = [...ports][0];
	}
	assert(new Set(Object.values(portOf)).size === CONTEXTS.length, 'two contexts share a port');
	assert(/^\s*fastcgi_connect_timeout \d+m?s;/m.test(prod), 'no fastcgi_connect_timeout');
	assert(/^\s*fastcgi_next_upstream [^;]+;/m.test(prod), 'no fastcgi_next_upstream');
});
check('nginx production.conf: the retry rules and health checks of the cluster gateway (stack.sh, fishdelivery.conf.in)', () => {
	const src = read('scripts/stack.sh') + read('etc/nginx/fishdelivery.conf.in');
	const rules = [...src.matchAll(/(fastcgi_next_upstream(?:_tries|_timeout)? [^;"|@]+;|fastcgi_connect_timeout [^;"|@]+;)/g)].map((m) => m[1]);
	assert(rules.length > 0, 'none found in stack.sh or fishdelivery.conf.in');
	for (const r of rules) assert(prod.includes(r), `"${r}" is not in production.conf`);
	const hc = /server \$h:\$\(prog_port "\$c"\)([^;]*);/.exec(read('scripts/stack.sh'));
	if (hc) for (const c of CONTEXTS) for (const s of upstreams[c]) assert(s.opts.trim() === hc[1].trim(), `${c} ${s.addr}: "${s.opts.trim()}", stack.sh renders "${hc[1].trim()}"`);
});

/* ---------------- systemd, several hosts ---------------- */
function envFile(p) {
	const e = {};
	for (const line of read(p).split('\n')) {
		const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
		if (m) e[m[1]] = m[2];
	}
	return e;
}
check('systemd fishdelivery.env.example: several hosts (database over TCP, FastCGI on TCP, memcached pool, relay wake-ups)', () => {
	const e = envFile('etc/systemd/fishdelivery.env.example');
	assert(e.FD_DB_HOSTS && /^[^,:\s]+:\d+(,[^,:\s]+:\d+)*$/.test(e.FD_DB_HOSTS), `FD_DB_HOSTS ${e.FD_DB_HOSTS}`);
	assert(!e.FD_DB_SOCKET, 'FD_DB_SOCKET set beside FD_DB_HOSTS');
	assert(e.FD_SOCKET && /^\d+\.\d+\.\d+\.\d+:\d+$/.test(e.FD_SOCKET), `FD_SOCKET ${e.FD_SOCKET} is not host:port`);
	const port = e.FD_SOCKET.split(':')[1], host = e.FD_SOCKET.split(':')[0];
	assert(upstreams.order && upstreams.order.some((s) => s.addr === `${host}:${port}`), `FD_SOCKET ${e.FD_SOCKET} is not in production.conf's upstream order`);
	assert(e.FCGI_WEB_SERVER_ADDRS, 'no FCGI_WEB_SERVER_ADDRS (the gateways)');
	assert(e.FD_MEMCACHED && e.FD_MEMCACHED.split(',').length >= 2, `FD_MEMCACHED ${e.FD_MEMCACHED}: not a pool`);
	const wake = (e.FD_RELAY_WAKE || '').split(',').filter(Boolean);
	assert(wake.length >= 2, `FD_RELAY_WAKE ${e.FD_RELAY_WAKE}: not every host`);
	for (const w of wake) assert(w.endsWith(`:${e.FD_RELAY_PORT}`), `FD_RELAY_WAKE ${w}: not FD_RELAY_PORT ${e.FD_RELAY_PORT}`);
	for (const s of upstreams.order) assert(wake.includes(`${s.addr.split(':')[0]}:${e.FD_RELAY_PORT}`), `no wake-up to app host ${s.addr}`);
	assert(e.FD_RELAY_BIND === host, `FD_RELAY_BIND ${e.FD_RELAY_BIND}, not this host ${host}`);
	const i = /^http:\/\/([\d.]+):8089$/.exec(e.FD_INTERNAL_URL || '');
	assert(i && new RegExp(`listen ${i[1].replace(/\./g, '\\.')}:8089`).test(prod), `FD_INTERNAL_URL ${e.FD_INTERNAL_URL} is not production.conf's internal server`);
});

/* ---------------- Kubernetes ---------------- */
const API = {
	Namespace: 'v1', ConfigMap: 'v1', Service: 'v1', Secret: 'v1',
	Deployment: 'apps/v1', HorizontalPodAutoscaler: 'autoscaling/v2',
};
const kdir = path.join(etc, 'kubernetes');
let docs = [];
check('kubernetes: every manifest parses as YAML', () => {
	for (const f of fs.readdirSync(kdir).filter((f) => /\.ya?ml$/.test(f)).sort())
		for (const d of loadAll(`etc/kubernetes/${f}`)) docs.push(Object.assign(d, { __file: f }));
	assert(docs.length > 0, 'no documents');
});
check('kubernetes: known kinds with the right apiVersion, names and namespace', () => {
	const seen = new Set();
	for (const d of docs) {
		assert(API[d.kind], `${d.__file}: unknown kind ${d.kind}`);
		assert(d.apiVersion === API[d.kind], `${d.__file}: ${d.kind} apiVersion ${d.apiVersion}`);
		assert(d.metadata && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(d.metadata.name), `${d.__file}: name ${d.metadata && d.metadata.name}`);
		if (d.kind !== 'Namespace') assert(d.metadata.namespace === 'fishdelivery', `${d.__file}: ${d.metadata.name} namespace`);
		const key = `${d.kind}/${d.metadata.name}`;
		assert(!seen.has(key), `duplicate ${key}`);
		seen.add(key);
	}
});
const find = (kind, name) => docs.find((d) => d.kind === kind && d.metadata.name === name);
const cms = new Map(docs.filter((d) => d.kind === 'ConfigMap').map((d) => [d.metadata.name, d]));

function podChecks(d) {
	const sel = d.spec.selector.matchLabels;
	const pod = d.spec.template;
	for (const [k, v] of Object.entries(sel)) assert(pod.metadata.labels[k] === v, `${d.metadata.name}: selector ${k} not in template labels`);
	const vols = new Set((pod.spec.volumes || []).map((v) => v.name));
	for (const v of pod.spec.volumes || [])
		if (v.configMap) assert(cms.has(v.configMap.name), `volume ${v.name}: no ConfigMap ${v.configMap.name}`);
	for (const c of pod.spec.containers) {
		assert(c.name && c.image, `${d.metadata.name}: container without name/image`);
		for (const m of c.volumeMounts || []) assert(vols.has(m.name), `${c.name}: mount of undeclared volume ${m.name}`);
		const r = c.resources || {};
		for (const k of ['cpu', 'memory']) {
			assert(r.requests && r.requests[k] !== undefined, `${c.name}: no ${k} request`);
			assert(r.limits && r.limits[k] !== undefined, `${c.name}: no ${k} limit`);
		}
		for (const e of c.envFrom || [])
			if (e.configMapRef) assert(cms.has(e.configMapRef.name), `${c.name}: no ConfigMap ${e.configMapRef.name}`);
	}
	return pod.spec;
}
const ports = (spec) => spec.containers.flatMap((c) => c.ports || []);
for (const ctx of CONTEXTS)
	check(`kubernetes: ${ctx} Deployment with probes /${ctx}/health and /${ctx}/ready through its nginx sidecar`, () => {
		const d = find('Deployment', ctx);
		assert(d, 'no Deployment');
		const spec = podChecks(d);
		const app = spec.containers.find((c) => (c.command || []).join(' ') === `/usr/local/lib/fishdelivery/cgi-bin/${ctx}.fcgi`);
		assert(app, 'no container running the program');
		const lp = app.livenessProbe && app.livenessProbe.httpGet, rp = app.readinessProbe && app.readinessProbe.httpGet;
		assert(lp && lp.path === `/${ctx}/health`, `liveness ${lp && lp.path}`);
		assert(rp && rp.path === `/${ctx}/ready`, `readiness ${rp && rp.path}`);
		const side = spec.containers.find((c) => c !== app && (c.ports || []).some((p) => p.containerPort === lp.port || p.name === lp.port));
		assert(side && /nginx/.test(side.image), 'probe port is not an nginx sidecar port');
		assert(rp.port === lp.port, 'readiness on another port');
		// FD_SOCKET lives in an emptyDir mounted by both.
		const sock = (app.env || []).find((e) => e.name === 'FD_SOCKET') ||
			{ value: (app.envFrom || []).map((e) => e.configMapRef && cms.get(e.configMapRef.name)).filter(Boolean).map((c) => c.data.FD_SOCKET).find(Boolean) };
		assert(sock.value, 'no FD_SOCKET');
		const dir = path.posix.dirname(sock.value);
		const am = (app.volumeMounts || []).find((m) => m.mountPath === dir);
		assert(am, `FD_SOCKET dir ${dir} not mounted in the program`);
		const vol = spec.volumes.find((v) => v.name === am.name);
		assert(vol && vol.emptyDir !== undefined, `${am.name} is not an emptyDir`);
		assert((side.volumeMounts || []).some((m) => m.name === am.name && m.mountPath === dir), 'sidecar does not share the socket dir');
		const conf = spec.volumes.filter((v) => v.configMap).map((v) => Object.values(cms.get(v.configMap.name).data).join('\n')).join('\n');
		assert(conf.includes(`unix:${sock.value}`), 'sidecar nginx does not pass to FD_SOCKET');
		assert(conf.includes(`listen ${lp.port === 'http' ? 8080 : lp.port}`), 'sidecar does not listen on the probe port');
	});
for (const ctx of CONTEXTS)
	check(`kubernetes: ${ctx} Service selects its Deployment's pods on a declared port`, () => {
		const s = find('Service', ctx), d = find('Deployment', ctx);
		assert(s, 'no Service');
		const labels = d.spec.template.metadata.labels;
		for (const [k, v] of Object.entries(s.spec.selector)) assert(labels[k] === v, `selector ${k}=${v}`);
		const ps = ports(d.spec.template.spec);
		for (const p of s.spec.ports) assert(ps.some((q) => q.name === p.targetPort || q.containerPort === p.targetPort), `targetPort ${p.targetPort}`);
	});
const hpas = docs.filter((d) => d.kind === 'HorizontalPodAutoscaler');
for (const ctx of ['order', 'fishstore'])
	check(`kubernetes: autoscaling/v2 HPA on CPU for ${ctx}`, () => {
		assert(hpas.some((h) => h.spec.scaleTargetRef.name === ctx), 'none');
	});
check('kubernetes: every HPA targets an existing Deployment with CPU requests', () => {
	assert(hpas.length > 0, 'no HPA');
	for (const h of hpas) {
		const t = h.spec.scaleTargetRef;
		assert(t.kind === 'Deployment' && t.apiVersion === 'apps/v1', `${h.metadata.name}: target ${t.apiVersion} ${t.kind}`);
		const d = find('Deployment', t.name);
		assert(d, `${h.metadata.name}: no Deployment ${t.name}`);
		assert(h.spec.minReplicas >= 1 && h.spec.maxReplicas >= h.spec.minReplicas, `${h.metadata.name}: replicas`);
		const cpu = h.spec.metrics.find((m) => m.type === 'Resource' && m.resource.name === 'cpu');
		assert(cpu && cpu.resource.target.type === 'Utilization' && cpu.resource.target.averageUtilization > 0, `${h.metadata.name}: no CPU utilization target`);
		for (const c of d.spec.template.spec.containers) assert(c.resources.requests.cpu, `${t.name}/${c.name}: no CPU request`);
	}
});
for (const ctx of RELAYED)
	check(`kubernetes: relay Deployment for ${ctx}`, () => {
		const d = find('Deployment', `relay-${ctx}`);
		assert(d, 'none');
		const spec = podChecks(d);
		const r = spec.containers.find((c) => (c.command || []).join(' ') === '/usr/local/lib/fishdelivery/relay');
		assert(r, 'no relay container');
		assert((r.env || []).some((e) => e.name === 'FD_RELAY_CONTEXT' && e.value === ctx), 'FD_RELAY_CONTEXT');
	});

// Issue 18: every program runs (the reconciler and the deadline checker
// too), none through a socat sidecar, MariaDB over TCP, wake-ups across
// pods through a Service of each relay.
const deployments = () => docs.filter((d) => d.kind === 'Deployment');
const cmdOf = (c) => (c.command || []).concat(c.args || []).join(' ');
const WANT = CONTEXTS.map((c) => `/usr/local/lib/fishdelivery/cgi-bin/${c}.fcgi`)
	.concat(['/usr/local/lib/fishdelivery/cgi-bin/order.fcgi reconciler',
		'/usr/local/lib/fishdelivery/cgi-bin/fishstore.fcgi deadline',
		'/usr/local/lib/fishdelivery/relay']);
for (const w of WANT)
	check(`kubernetes: a Deployment runs ${w.replace('/usr/local/lib/fishdelivery/', '')}`, () => {
		const d = deployments().find((x) => x.spec.template.spec.containers.some((c) => cmdOf(c) === w));
		assert(d, 'none');
		podChecks(d);
	});
check('kubernetes: no socat sidecar, no MariaDB socket; FD_DB_HOSTS over TCP', () => {
	for (const d of docs) {
		const t = JSON.stringify(d);
		assert(!/socat/i.test(t), `${d.__file}: ${d.kind}/${d.metadata.name} uses socat`);
		assert(!/FD_DB_SOCKET|\/run\/mysqld/.test(t), `${d.__file}: ${d.metadata.name} uses a MariaDB socket`);
	}
	const cfg = cms.get('fishdelivery-config');
	assert(cfg && /^[a-z0-9.-]+:\d+(,[a-z0-9.-]+:\d+)*$/.test(cfg.data.FD_DB_HOSTS || ''), `FD_DB_HOSTS ${cfg && cfg.data.FD_DB_HOSTS}`);
	for (const d of deployments())
		for (const c of d.spec.template.spec.containers.filter((c) => /fishdelivery\//.test(cmdOf(c))))
			assert((c.envFrom || []).some((e) => e.configMapRef && e.configMapRef.name === 'fishdelivery-config'), `${d.metadata.name}: no fishdelivery-config (FD_DB_HOSTS)`);
});
check('kubernetes: every program that commits events wakes its context\'s relay through a Service (UDP), the relay listening', () => {
	const relays = new Map();
	for (const ctx of RELAYED) {
		const d = find('Deployment', `relay-${ctx}`);
		const r = d.spec.template.spec.containers.find((c) => cmdOf(c) === '/usr/local/lib/fishdelivery/relay');
		const env = Object.fromEntries((r.env || []).map((e) => [e.name, e]));
		assert(env.FD_RELAY_PORT && env.FD_RELAY_BIND, `relay-${ctx}: no FD_RELAY_PORT/FD_RELAY_BIND`);
		assert(env.FD_RELAY_POLL_MS && +env.FD_RELAY_POLL_MS.value <= 1000, `relay-${ctx}: no poll bound <= 1000 ms`);
		relays.set(ctx, { d, port: +env.FD_RELAY_PORT.value });
	}
	for (const d of deployments()) {
		for (const c of d.spec.template.spec.containers) {
			const m = /cgi-bin\/(\w+)\.fcgi/.exec(cmdOf(c));
			if (!m || !relays.has(m[1])) continue;
			const w = (c.env || []).find((e) => e.name === 'FD_RELAY_WAKE');
			assert(w, `${d.metadata.name}: no FD_RELAY_WAKE`);
			const { d: rd, port } = relays.get(m[1]);
			for (const t of w.value.split(',')) {
				const a = /^([a-z0-9-]+)\.fishdelivery\.svc:(\d+)$/.exec(t);
				assert(a, `${d.metadata.name}: FD_RELAY_WAKE ${t} is not SERVICE.fishdelivery.svc:PORT`);
				const s = find('Service', a[1]);
				assert(s, `${d.metadata.name}: no Service ${a[1]}`);
				const sp = s.spec.ports.find((p) => p.port === +a[2]);
				assert(sp && sp.protocol === 'UDP', `Service ${a[1]}: no UDP port ${a[2]}`);
				const labels = rd.spec.template.metadata.labels;
				for (const [k, v] of Object.entries(s.spec.selector)) assert(labels[k] === v, `Service ${a[1]} does not select relay-${m[1]}`);
				const cp = ports(rd.spec.template.spec).find((p) => p.name === sp.targetPort || p.containerPort === sp.targetPort);
				assert(cp && cp.containerPort === port && cp.protocol === 'UDP', `Service ${a[1]}: targetPort is not the relay's FD_RELAY_PORT ${port}/UDP`);
			}
		}
	}
});

process.exitCode = failed ? 1 : 0;
