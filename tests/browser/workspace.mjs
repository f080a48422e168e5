// The web workspace as a person uses it, in Debian's chromium driven by
// playwright-core (never a downloaded browser). run.sh prepares the store
// and the server and sets the environment read below. Each step takes a
// full-page screenshot into $CB_SHOTS; any failed check exits non-zero.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(process.env.NODE_PATH + "/");
const { chromium } = require("playwright-core");

const URL = process.env.CB_URL;
const SHOTS = process.env.CB_SHOTS;
const NAME = process.env.CB_PERSON_NAME;
const FAMILY = process.env.CB_PERSON_FAMILY;
const PSEUDO = process.env.CB_PSEUDONYM;
const UPLOAD = process.env.CB_UPLOAD;
fs.mkdirSync(SHOTS, { recursive: true });

let failures = 0;
function check(cond, what) {
  if (cond) {
    console.log("ok   " + what);
  } else {
    console.log("FAIL " + what);
    failures++;
  }
}
async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, name + ".png"), fullPage: true });
}
async function signIn(page, user, pass) {
  await page.goto(URL + "/reports");
  check(page.url().includes("/signin"), `${user}: signed out, /reports sends to /signin`);
  await page.fill("input[name=user]", user);
  await page.fill("input[name=passphrase]", pass);
  await Promise.all([page.waitForNavigation(), page.click("button.primary")]);
  check(page.url().endsWith("/reports"), `${user}: signed in, back on /reports`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  // ---- an editor: upload, see proposals, accept one, edit one ----
  const ed = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ed.newPage();
  await page.goto(URL + "/signin");
  await shot(page, "01-signin");
  await page.fill("input[name=user]", "ed");
  await page.fill("input[name=passphrase]", "wrong passphrase");
  await Promise.all([page.waitForNavigation(), page.click("button.primary")]);
  check((await page.textContent("body")).includes("wrong passphrase"), "a wrong passphrase is refused with a message");
  await signIn(page, "ed", "editor-pass");
  await shot(page, "02-reports");

  await page.click("details.upload summary");
  await page.setInputFiles("input[name=file]", UPLOAD);
  await page.fill("input[name=outlet]", "Browser Test Wire");
  await page.fill("input[name=url]", "https://example.org/fictional/yanji");
  await Promise.all([page.waitForNavigation(), page.click("details.upload button.primary")]);
  await shot(page, "03-upload");
  const uploaded = await page.textContent(".upload-results");
  check(/new, report #\d+/.test(uploaded), "the upload is stored as a new report");
  const m = /(\d+) events? proposed/.exec(uploaded);
  check(m && Number(m[1]) > 0, `the extractor proposed events (${m ? m[1] : 0})`);

  await page.click(".upload-results a[href^='/reports/']");
  await page.waitForSelector("mark.ev");
  const marks = await page.$$("mark.ev");
  check(marks.length > 0, `the report shows its evidence spans (${marks.length})`);
  check((await page.textContent("h1")).includes("Yanji"), "the report's title is shown");
  await shot(page, "04-report");

  // review: accept the first with the keyboard, edit the next
  await page.goto(URL + "/review");
  await shot(page, "05-review");
  const first = (await page.textContent(".proposal h2")).match(/#(\d+)/)[1];
  await Promise.all([page.waitForNavigation(), page.keyboard.press("a")]);
  check((await page.textContent(".notice")).includes(`#${first} accepted`), `event #${first} accepted with the key 'a'`);
  const second = (await page.textContent(".proposal h2")).match(/#(\d+)/)[1];
  check(second !== first, "the next proposed event follows");
  await page.fill("#edit input[name='victims.count_min']", "7");
  await page.fill("#edit input[name='victims.count_max']", "9");
  await page.selectOption("#edit select[name='victims.gender']", "female");
  await Promise.all([page.waitForNavigation(), page.click("#edit button[value='save-accept']")]);
  check((await page.textContent(".notice")).includes(`#${second} accepted`), `event #${second} edited and accepted`);
  await shot(page, "06-review-next");

  // the record: both accepted events, the edit, the export
  await page.goto(URL + "/record");
  await shot(page, "07-record");
  const table = await page.textContent("table.record");
  check(table.includes(first) && table.includes(second), "both events are in the record table");
  check(table.includes("7–9"), "the edited count (7–9) is in the record");
  check(await page.$("figure.map svg circle") !== null, "the map shows events");
  check(await page.$("figure.map path.land.cn") !== null, "the map has China's shape (Natural Earth)");
  check(await page.$("figure.timeline svg") !== null || (await page.textContent(".figures")).includes("No dated events"),
        "the timeline is drawn");
  const csv = await (await page.request.get(URL + "/api/export?what=events&format=csv&status=accepted")).text();
  const rows = csv.trim().split(/\r\n/);
  check(rows.length === 3, `the CSV export has a header and the 2 accepted events (${rows.length - 1})`);
  check(rows.some(r => r.startsWith(second + ",") && r.includes(",7,9,female,")), "the CSV export has the edit");
  // the editor sees the person's name
  await page.goto(URL + "/reports/1");
  check((await page.textContent(".text")).includes(`${FAMILY} ${NAME}`), "an editor reads the name in the report");
  await page.click("header form button");
  await page.waitForURL("**/signin");
  check(page.url().endsWith("/signin"), "sign-out returns to the sign-in page");

  // ---- a viewer: pseudonyms only, nothing to change ----
  const vc = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const vp = await vc.newPage();
  await signIn(vp, "vi", "viewer-pass");
  for (const p of ["/reports", "/reports/1", "/review?event=1", "/record?status=", "/reports?q=Helong"]) {
    await vp.goto(URL + p);
    const html = await vp.content();
    check(!html.includes(NAME) && !html.includes(FAMILY), `viewer: no protected name on ${p}`);
  }
  await vp.goto(URL + "/reports/1");
  check((await vp.textContent(".text")).includes(PSEUDO), "viewer: the name shows as its pseudonym");
  await shot(vp, "08-viewer-report");
  await vp.goto(URL + "/review?event=1");
  check(await vp.$("#accept") === null && await vp.$("#edit") === null, "viewer: no review or edit controls");
  await shot(vp, "09-viewer-review");
  for (const api of ["/api/documents/1", "/api/events", "/api/search?q=Helong", "/api/export?what=events&format=json",
                     "/api/export?what=persons&format=json"]) {
    const body = await (await vp.request.get(URL + api)).text();
    check(!body.includes(NAME) && !body.includes(FAMILY), `viewer: no protected name in ${api}`);
  }
  const prot = await vp.request.get(URL + "/api/export?what=persons&format=json&include_protected=1");
  check(prot.status() === 403, "viewer: exporting protected fields is refused (403)");
  const session = await (await vp.request.get(URL + "/api/session")).json();
  const post = await vp.request.post(URL + "/api/events/1/review", {
    headers: { "X-CSRF-Token": session.csrf, "Content-Type": "application/json" },
    data: JSON.stringify({ status: "rejected" }),
  });
  check(post.status() === 403, "viewer: reviewing through the API is refused (403)");

  // ---- without JavaScript the pages still work ----
  const nojs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const np = await nojs.newPage();
  await signIn(np, "ed", "editor-pass");
  await np.goto(URL + "/record");
  check((await np.textContent("table.record")).includes(first), "without JavaScript: the record renders");
  await np.goto(URL + "/reports?q=Yanji");
  check(await np.$("ol.hits mark") !== null, "without JavaScript: search results with highlighted hits");
  await shot(np, "10-nojs-search");
} finally {
  await browser.close();
}
console.log(failures ? `${failures} check(s) failed` : "all browser checks passed");
process.exit(failures ? 1 : 0);
