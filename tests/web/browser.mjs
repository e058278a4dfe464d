// tests/web/browser.mjs — what the browser tests share (pages.mjs, the
// public pages; signed_in.mjs, the /secretariat/ pages): Debian's chromium
// launched through playwright-core, a reader's context that fails the run
// on any request to another origin, console error or script error, each
// page's screenshot, its <html lang dir>, labelled controls and axe-core's
// WCAG 2.0 and 2.1 A and AA rules (with the script on), and nothing of
// SECRETS in its HTML.
//
//     const web = await browserRun(base, shots, SECRETS);
//     const { page } = await web.reader('Asia/Shanghai', 'en-GB');
//     await web.step('home', async () => { await page.goto(base); await web.look(page, '01-home', 'en'); });
//     await web.close();
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export function check (condition, what) {
    if (!condition)
        throw new Error(what);
}

export async function browserRun (base, shots, SECRETS) {
    const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        headless: true,
        //  (--disable-dev-shm-usage: a container's /dev/shm may be 64 MB)
        args: ['--headless', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const problems = [];
    const shot = [];
    const scriptless = new WeakSet();
    let audited = 0;

    // A context as a reader in ZONE (an IANA zone) with LOCALE, and options
    async function reader (zone, locale, options = {}) {
        const context = await browser.newContext({ timezoneId: zone, locale, ...options });
        context.setDefaultTimeout(10000);
        await context.route('**/*', route => {
            const url = route.request().url();
            if (!url.startsWith(base)) {
                problems.push(`a request to another origin: ${url}`);
                return route.abort();
            }
            return route.continue();
        });
        const page = await context.newPage();
        if (options.javaScriptEnabled === false)
            scriptless.add(page);
        page.on('pageerror', error => problems.push(`script error: ${error.message}`));
        page.on('console', message => {
            //  (a refusal asked for on purpose, 404, or 401, 403, 429 of the
            //  signed-in pages, is logged by the browser as an error)
            if (message.type() === 'error' && !/status of (401|403|404|429)/.test(message.text()))
                problems.push(`console error: ${message.text()}`);
        });
        return { context, page };
    }

    // The interface language LANG of the page: <html lang dir> as it must be,
    // every visible form control labelled (a <label>, an aria-label, or a
    // button's own text),
    // and, with the script on, axe-core's WCAG 2.1 A and AA rules without a
    // violation
    async function accessible (page, name, lang) {
        const [htmlLang, htmlDir, unlabelled] = await page.evaluate(() => [
            document.documentElement.lang, document.documentElement.dir,
            [...document.querySelectorAll('input, select, textarea, button')]
                .filter(e => e.type !== 'hidden' && e.getClientRects().length)
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                             && !(e.tagName === 'BUTTON' && e.textContent.trim()))
                .map(e => e.outerHTML)]);
        check(htmlLang === lang, `${name}: <html lang="${htmlLang}">, not ${lang}`);
        check(htmlDir === (lang === 'ar' ? 'rtl' : 'ltr'), `${name}: <html dir="${htmlDir}">`);
        check(unlabelled.length === 0, `${name}: controls without a label: ${unlabelled.join(' ')}`);
        if (scriptless.has(page))
            return;
        //  (evaluated through the DevTools protocol, which the page's
        //  Content-Security-Policy does not govern: the page's own rules stay)
        if (!(await page.evaluate('typeof window.axe')).startsWith('object'))
            await page.evaluate(AXE);
        const violations = await page.evaluate(tags => window.axe.run(document, {
            runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
        }).then(result => result.violations.map(v =>
            `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).map(n => n.html).join(' | ')}`)),
            WCAG);
        check(violations.length === 0, `${name}: WCAG: ${violations.join('; ')}`);
        audited++;
    }

    // What the reader sees of the page in the interface language LANG, and
    // nothing hidden may be in its HTML but TYPED, the words the reader typed
    // (the form and links hold them)
    async function look (page, name, lang, typed) {
        const file = join(shots, `${name}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shot.push(file);
        const html = (await page.content()).replaceAll(typed || '\u0000', '');
        for (const secret of SECRETS)
            check(!html.includes(secret), `${name}: the page holds ${secret}`);
        check(!(await page.$('script[src], link, img, iframe')), `${name}: loads something`);
        await accessible(page, name, lang);
        return page.locator('body').innerText();
    }

    async function step (name, body) {
        await body();
        check(problems.length === 0, `${name}: ${problems.join('; ')}`);
        console.log(`ok: ${name}`);
    }

    async function close () {
        await browser.close();
        return `screenshots: ${shot.length} in ${shots}; ${audited} pages audited by axe-core`;
    }
    return { browser, reader, accessible, look, step, close, problems };
}
