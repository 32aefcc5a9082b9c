// SPDX-License-Identifier: GPL-2.0-only
//
// Offline validation of Kubernetes manifests against the API schemas, with
// the kubernetes-models package (its schemas compiled from the Kubernetes
// OpenAPI definitions; no cluster, no network).  Run by ./check.
//
//   node validate.js FILE...        one line per object: "ok - Kind ns/name"
//                                   or "not ok - Kind ns/name: reason";
//                                   exit 1 when any object is not ok
//   node validate.js --rules FILE   print the data "memctld.conf" of the
//                                   ConfigMap memctld-rules
//
// Besides the schema (types, required fields, enums, quantities), what an
// API server would refuse too:
//  - a field the schema does not know (kubectl --validate=strict): every
//    property the schema's validator never looked at is unknown (the
//    document is wrapped in a Proxy that records the validator's reads);
//  - a DaemonSet whose selector does not select its pod template, a
//    volumeMount of no volume, a probe on a port no container names;
// and what would make the objects of one file not work together: a
// namespace, ConfigMap or ServiceAccount that the file does not create, a
// Prometheus port annotation that no container port has.
'use strict';

const fs = require('fs');
const yaml = require('js-yaml');

// API versions the package still has but Kubernetes no longer serves.
const removed = {
	'apps/v1beta1': '1.16', 'apps/v1beta2': '1.16', 'extensions/v1beta1': '1.22',
	'policy/v1beta1': '1.25', 'batch/v1beta1': '1.25',
};

function modelOf(doc) {
	if (typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string' ||
	    !/^[A-Za-z0-9./]+$/.test(doc.apiVersion) || !/^[A-Za-z]+$/.test(doc.kind))
		throw new Error('no apiVersion/kind');
	let mod;
	if (removed[doc.apiVersion])
		throw new Error(`apiVersion ${doc.apiVersion} was removed in Kubernetes ${removed[doc.apiVersion]}`);
	try {
		mod = require(`kubernetes-models/${doc.apiVersion}/${doc.kind}`);
	} catch (e) {
		throw new Error(`unknown apiVersion/kind ${doc.apiVersion} ${doc.kind}`);
	}
	return mod[doc.kind];
}

// A Proxy over @obj that adds to @seen the path of every property read.
function track(obj, path, seen) {
	if (obj === null || typeof obj !== 'object')
		return obj;
	return new Proxy(obj, {
		get(t, key, recv) {
			if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(t, key)) {
				const p = `${path}/${key}`;
				seen.add(p);
				return track(t[key], p, seen);
			}
			return Reflect.get(t, key, recv);
		},
	});
}

function unknownFields(obj, path, seen, out) {
	if (obj === null || typeof obj !== 'object')
		return;
	for (const key of Object.keys(obj)) {
		const p = `${path}/${key}`;
		if (!seen.has(p))
			out.push(p.slice(1));
		else
			unknownFields(obj[key], p, seen, out);
	}
}

function schemaErrors(doc) {
	const Model = modelOf(doc);
	const seen = new Set();
	const errs = [];

	try {
		Model.prototype.validate.call(track(doc, '', seen));
	} catch (e) {
		errs.push(e.message);
		return errs;
	}
	const unknown = [];
	unknownFields(doc, '', seen, unknown);
	for (const u of unknown)
		errs.push(`${u}: unknown field`);
	return errs;
}

function name(doc) {
	const m = doc.metadata || {};
	return `${doc.kind} ${m.namespace ? m.namespace + '/' : ''}${m.name}`;
}

// What one file's objects need of each other, and what the API server
// checks beyond the schema.
function crossErrors(doc, all) {
	const errs = [];
	const ns = (doc.metadata || {}).namespace;
	const has = (kind, n, space) => all.some(d => d.kind === kind &&
		d.metadata.name === n && (kind === 'Namespace' || d.metadata.namespace === space));

	if (ns && !has('Namespace', ns))
		errs.push(`namespace ${ns} is not created by this file`);
	if (doc.kind !== 'DaemonSet')
		return errs;
	const spec = doc.spec, tmpl = spec.template, pod = tmpl.spec;
	const labels = (tmpl.metadata || {}).labels || {};
	const sel = spec.selector.matchLabels || {};
	if (!Object.keys(sel).length)
		errs.push('spec.selector has no matchLabels');
	for (const [k, v] of Object.entries(sel))
		if (labels[k] !== v)
			errs.push(`spec.selector ${k}=${v} does not select the pod template`);
	if (pod.serviceAccountName && !has('ServiceAccount', pod.serviceAccountName, ns))
		errs.push(`serviceAccountName ${pod.serviceAccountName} is not created by this file`);
	const vols = new Map((pod.volumes || []).map(v => [v.name, v]));
	for (const v of vols.values())
		if (v.configMap && !has('ConfigMap', v.configMap.name, ns))
			errs.push(`volume ${v.name}: ConfigMap ${v.configMap.name} is not created by this file`);
	const ports = new Map();
	const containers = [...(pod.initContainers || []), ...pod.containers];
	for (const c of containers)
		for (const p of c.ports || [])
			ports.set(p.name || String(p.containerPort), p.containerPort);
	for (const c of containers) {
		for (const m of c.volumeMounts || [])
			if (!vols.has(m.name))
				errs.push(`container ${c.name}: volumeMount ${m.name} has no volume`);
		for (const pr of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
			const port = c[pr] && c[pr].httpGet && c[pr].httpGet.port;
			if (typeof port === 'string' && !ports.has(port))
				errs.push(`container ${c.name}: ${pr} port ${port} is not a named port`);
		}
	}
	const ann = (tmpl.metadata || {}).annotations || {};
	if (ann['prometheus.io/scrape'] === 'true') {
		const port = Number(ann['prometheus.io/port']);
		if (![...ports.values()].includes(port))
			errs.push(`annotation prometheus.io/port ${ann['prometheus.io/port']} is no container port`);
		if (!pod.hostNetwork)
			errs.push('the memctl family lives in the initial network namespace: hostNetwork must be true');
	}
	return errs;
}

function load(file) {
	return yaml.loadAll(fs.readFileSync(file, 'utf8')).filter(d => d !== null);
}

function main(argv) {
	if (argv[0] === '--rules') {
		const cm = load(argv[1]).find(d => d.kind === 'ConfigMap' &&
			d.metadata && d.metadata.name === 'memctld-rules');
		if (!cm || !cm.data || typeof cm.data['memctld.conf'] !== 'string') {
			console.error(`${argv[1]}: no ConfigMap memctld-rules with data memctld.conf`);
			return 1;
		}
		process.stdout.write(cm.data['memctld.conf']);
		return 0;
	}
	let bad = 0;
	for (const file of argv) {
		let docs;
		try {
			docs = load(file);
		} catch (e) {
			console.log(`not ok - ${file}: ${e.message.split('\n')[0]}`);
			bad++;
			continue;
		}
		if (!docs.length) {
			console.log(`not ok - ${file}: no object`);
			bad++;
		}
		for (const doc of docs) {
			let errs;
			if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
				console.log(`not ok - ${file}: a document is not an object`);
				bad++;
				continue;
			}
			try {
				errs = schemaErrors(doc);
				if (!errs.length)
					errs = crossErrors(doc, docs);
			} catch (e) {
				errs = [e.message];
			}
			if (errs.length) {
				console.log(`not ok - ${file}: ${name(doc)}: ${errs.join('; ')}`);
				bad++;
			} else {
				console.log(`ok - ${file}: ${name(doc)}`);
			}
		}
	}
	return bad ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
