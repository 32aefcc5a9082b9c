// SPDX-License-Identifier: GPL-2.0-only
//
// Drives memctld's status page in headless Chromium through the DevTools
// protocol, for page-vm.sh:
//
//   node page-cdp.js URL OUTDIR WRONG_TOKEN
//
// Starts chromium (CHROMIUM, default "chromium") with its own profile,
// opens URL, waits until the page has rendered /api/status twice, reads the
// values it shows, saves OUTDIR/page.png, then tries to change the tier
// with WRONG_TOKEN (fills the form, clicks "On / resize") and reads the
// answer and the tier the page shows after it.  Prints one JSON object:
// { "dom": {...}, "after": {...}, "result": {status, text} }.  Exit status
// 0, or 1 with a line on stderr.
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const [url, outdir, wrong] = process.argv.slice(2);
if (!url || !outdir || !wrong) {
	console.error("usage: page-cdp.js URL OUTDIR WRONG_TOKEN");
	process.exit(64);
}
const T = (s) => s * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "memctld-page-chromium."));
let chrome;

function finish(code, msg) {
	if (msg) console.error("page-cdp: " + msg);
	if (chrome) chrome.kill("SIGKILL");
	try { fs.rmSync(profile, { recursive: true, force: true }); } catch (e) { /* */ }
	process.exit(code);
}
setTimeout(() => finish(1, "timed out after 300 s"), T(300)).unref();

// Chromium with the DevTools protocol on a pipe (--remote-debugging-pipe:
// it reads fd 3 and writes fd 4, messages ending in NUL): no port, no
// WebSocket.  Returns send(method, params, sessionId).
function startChrome() {
	const args = ["--headless=new", "--no-sandbox", "--disable-gpu",
		"--disable-dev-shm-usage", "--no-first-run",
		"--no-default-browser-check", "--disable-extensions",
		"--remote-debugging-pipe", "--user-data-dir=" + profile,
		"--window-size=1280,1000", "about:blank"];
	chrome = spawn(process.env.CHROMIUM || "chromium", args,
		       { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
	let err = "", buf = "", id = 0;
	const pending = new Map();
	chrome.stderr.on("data", (d) => { err = (err + d).slice(-2000); });
	chrome.on("exit", (c) => {
		for (const { ko } of pending.values())
			ko(new Error("chromium exited " + c + ": " + err.slice(-500)));
	});
	chrome.stdio[4].on("data", (d) => {
		buf += d.toString("utf8");
		let i;
		while ((i = buf.indexOf("\0")) >= 0) {
			const m = JSON.parse(buf.slice(0, i));
			buf = buf.slice(i + 1);
			if (m.id && pending.has(m.id)) {
				const { ok, ko } = pending.get(m.id);
				pending.delete(m.id);
				if (m.error) ko(new Error(JSON.stringify(m.error)));
				else ok(m.result);
			}
		}
	});
	return (method, params = {}, sessionId) => new Promise((ok, ko) => {
		pending.set(++id, { ok, ko });
		const msg = { id, method, params };
		if (sessionId) msg.sessionId = sessionId;
		chrome.stdio[3].write(JSON.stringify(msg) + "\0");
	});
}

async function main() {
	const browser = startChrome();
	const { targetId } = await browser("Target.createTarget", { url: "about:blank" });
	const { sessionId } = await browser("Target.attachToTarget", { targetId, flatten: true });
	const send = (method, params) => browser(method, params, sessionId);
	const evaluate = async (expr) => {
		const r = await send("Runtime.evaluate",
			{ expression: expr, returnByValue: true, awaitPromise: true });
		if (r.exceptionDetails) throw new Error(expr + ": " + JSON.stringify(r.exceptionDetails));
		return r.result.value;
	};
	const waitFor = async (expr, what, s = 120) => {
		for (let i = 0; i < s * 4; i++) {
			const v = await evaluate(expr);
			if (v) return v;
			await sleep(250);
		}
		throw new Error("the page never showed " + what);
	};
	const read = () => evaluate(`(() => {
		const $ = (id) => document.getElementById(id);
		const rows = [...document.querySelectorAll("#cgroups tr")].map((tr) => ({
			path: tr.dataset.path, usage: Number(tr.dataset.usage),
			usageText: tr.querySelector(".usage").textContent }));
		return {
			updated: Number(document.body.dataset.updated || 0),
			renders: Number(document.body.dataset.renders || 0),
			agent: $("agent-version").textContent,
			module: $("module-version").textContent,
			mode: $("mode").textContent,
			formHidden: $("tier-form").hidden,
			tierState: $("tier-state").textContent,
			tierSize: Number($("tier-size").dataset.bytes),
			tierSizeText: $("tier-size").textContent,
			tierAlgo: $("tier-algo").textContent,
			tierDevice: $("tier-device").textContent,
			tierStored: Number($("tier-stored").dataset.bytes),
			tierCompressed: Number($("tier-compressed").dataset.bytes),
			tierBacking: $("tier-backing").textContent,
			ncgroups: Number($("ncgroups").textContent),
			rows,
			plots: ["plot-usage", "plot-reclaim", "plot-tier"].map(
				(id) => $(id).querySelectorAll("polyline").length),
			external: [...document.querySelectorAll("[src],[href]")].map(
				(e) => e.getAttribute("src") || e.getAttribute("href")),
		};
	})()`);

	await send("Page.enable");
	await send("Runtime.enable");
	await send("Emulation.setDeviceMetricsOverride",
		{ width: 1280, height: 1000, deviceScaleFactor: 1, mobile: false });
	await send("Page.navigate", { url });
	await waitFor("document.readyState === 'complete' && !!document.body.dataset.updated",
		      "a rendering of /api/status");
	const first = (await read()).renders;
	// a second poll: the plots have at least two samples by then
	await waitFor(`Number(document.body.dataset.renders) > ${first} &&
		       document.querySelectorAll("#plot-usage polyline").length > 0`,
		      "a second rendering with a plot", 180);
	const dom = await read();
	const shot = await send("Page.captureScreenshot", { format: "png" });
	fs.writeFileSync(path.join(outdir, "page.png"), Buffer.from(shot.data, "base64"));

	// the unauthorised change, as a user would try it
	await evaluate(`(() => {
		document.getElementById("token").value = ${JSON.stringify(wrong)};
		document.getElementById("size").value = "128M";
		document.getElementById("tier-on").click();
		return true;
	})()`);
	await waitFor(`!!document.getElementById("tier-result").dataset.status`,
		      "the answer to the change", 60);
	const result = await evaluate(`({
		status: Number(document.getElementById("tier-result").dataset.status),
		text: document.getElementById("tier-result").textContent,
		renders: Number(document.body.dataset.renders) })`);
	// the page polls again after an answer: what it shows then
	await waitFor(`Number(document.body.dataset.renders) > ${result.renders}`,
		      "a rendering after the change", 60);
	const after = await read();
	const shot2 = await send("Page.captureScreenshot", { format: "png" });
	fs.writeFileSync(path.join(outdir, "page-refused.png"), Buffer.from(shot2.data, "base64"));
	console.log(JSON.stringify({ dom, after, result }));
}

main().then(() => finish(0), (e) => finish(1, e.message));
