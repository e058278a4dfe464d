// tests/web/pages.mjs BASE SHOTS — the public web pages in a real browser.
//
// Debian's chromium (/usr/bin/chromium), driven by playwright-core, which
// downloads no browser of its own; playwright gives it a fresh
// --user-data-dir of its own (under $TMPDIR: web_browser.sh points it at the
// test's folder) and refuses one among the arguments.  The
// data is tests/web_lib.sh's.  Each step names what a reader does and
// checks what they see; a screenshot of every page goes to SHOTS.  Any
// request to another origin, any console error and any script error fail
// the run.  Every page seen with the script on is audited by axe-core
// (tests/web/package-lock.json) against WCAG 2.0 and 2.1, A and AA: what a
// machine can check (contrast, names of controls and links, landmarks,
// lang, headings); with or without the script, each visible form control
// must have a label and <html> its lang and dir.  Prints "ok: STEP" per
// step; exits 1 at the first failure.
import { browserRun, check } from './browser.mjs';

const [base, shots] = process.argv.slice(2);
const M = 'ccm-msp13';
const SECRETS = ['SECRETXYZZY', 'LIMITEDQUUX', 'CCM/MSP/2030/9', 'CCM/MSP/2030/10',
                 'hidden.person@example.org', 'PASSPORT-X99-NOTE'];
const HOSTILE_TITLE = "第十三次缔约国会议 <script>alert('t')</script> & \"Co\" ⟦forged⟧";

const web = await browserRun(base, shots, SECRETS);
const { browser, reader, look, step } = web;

try {
    // A delegate in Shanghai (UTC+8), browser in English
    const { page } = await reader('Asia/Shanghai', 'en-GB');

    await step('home: meetings by convention, the hostile title as text', async () => {
        await page.goto(`${base}/`);
        const text = await look(page, '01-home', 'en');
        check(text.includes(HOSTILE_TITLE), 'the title is not shown as it is');
        check(text.indexOf('APMBC') < text.indexOf('CCM') && text.indexOf('CCM') < text.indexOf('CCW'),
              'conventions are not by code');
        check(await page.evaluate(() => !window.__pwned), 'a title ran');
    });

    await step('meeting: programme in Geneva time and, by the script, Shanghai time', async () => {
        await page.getByRole('link', { name: HOSTILE_TITLE }).click();
        await page.waitForURL(`${base}/meetings/${M}`);
        const text = await look(page, '02-meeting', 'en');
        // 30 March 2030 09:00 in Geneva (UTC+1) is 16:00 in Shanghai; 1 April
        // 10:00 (moved; UTC+2) is 16:00 too
        const first = await page.locator('tbody tr').first().innerText();
        check(first.includes('09:00–12:00') && first.includes('16:00–19:00'),
              `first session not at 16:00 Shanghai time: ${first}`);
        check(/Your time \(Asia\/Shanghai\)/.test(text), 'the column is not the viewer\'s time');
        const cancelled = page.locator('tr.cancelled');
        check(await cancelled.count() === 1, 'no cancelled row');
        const decoration = await cancelled.locator('.what').evaluate(e =>
            getComputedStyle(e).textDecorationLine);
        check(decoration === 'line-through', `a cancelled session is not struck: ${decoration}`);
        check(text.includes('Cancelled') && text.includes('Moved'), 'badges');
        // The copy button appears with the script and copies the feed's address
        const copy = page.getByRole('button', { name: 'Copy' });
        check(await copy.isVisible(), 'no copy button');
        const feed = await page.locator('#feed').inputValue();
        check(feed === `${base}/ics/meetings/${M}.ics`, `feed address ${feed}`);
        const webcal = await page.getByRole('link', { name: 'Open in your calendar app' })
            .getAttribute('href');
        check(webcal === feed.replace(/^http:/, 'webcal:'), `webcal link ${webcal}`);
        // Google's and Outlook's (personal, work) links name that feed
        const google = new URL(await page.getByRole('link', { name: 'Add to Google Calendar' })
            .getAttribute('href'));
        check(google.origin === 'https://calendar.google.com' && google.searchParams.get('cid')
              === webcal, `Google's link ${google}`);
        for (const [name, origin] of [['Add to Outlook.com', 'https://outlook.live.com'],
                                      ['Add to Outlook (Microsoft 365)', 'https://outlook.office.com']]) {
            const outlook = new URL(await page.getByRole('link', { name }).getAttribute('href'));
            check(outlook.origin === origin && outlook.searchParams.get('url') === feed
                  && outlook.searchParams.get('name') === HOSTILE_TITLE, `${name}: ${outlook}`);
        }
        const feedAnswer = await page.request.get(feed);
        check(feedAnswer.ok() && (await feedAnswer.text()).includes('BEGIN:VCALENDAR'),
              'the feed does not answer');
    });

    await step('keyboard: the skip link first, then the header, all visible on focus', async () => {
        await page.keyboard.press('Tab');
        const skip = await page.evaluate(() => [document.activeElement.className,
            document.activeElement.getBoundingClientRect().left >= 0]);
        check(skip[0] === 'skip' && skip[1], 'the first Tab is not the visible skip link');
        await page.keyboard.press('Enter');
        check(await page.evaluate(() => location.hash) === '#main', 'the skip link goes nowhere');
    });

    await step('document family from the meeting, then a version\'s text', async () => {
        await page.getByRole('link', { name: 'CCM/MSP/2030/1', exact: true }).click();
        await page.waitForURL(`${base}/documents/CCM/MSP/2030/1`);
        const text = await look(page, '03-document', 'en');
        check(text.includes('Revised report on ratification'), 'no Rev.1 in the family');
        check(text.includes('Final report of the Thirteenth Meeting'), 'no outcome');
        check(text.includes('Mme Dupont'), 'no statement');
        check(await page.locator('tbody tr').count() === 7, 'not 7 versions (6 languages, 2 revisions)');
        await page.locator('tbody tr', { hasText: 'العربية' }).getByRole('link', { name: 'Read' })
            .click();
        await page.waitForURL(/language=ar/);
        const pre = page.locator('pre.text');
        check((await pre.innerText()).includes('نظر الاجتماع في التقرير'), 'no Arabic text');
        check(await pre.evaluate(e => getComputedStyle(e).direction) === 'rtl',
              'the Arabic text is not right to left');
        await look(page, '04-document-text-ar', 'en');
    });

    await step('search in Chinese, filtered by language, in the Chinese interface', async () => {
        await page.goto(`${base}/search?lang=zh`);
        check(await page.locator('h1').innerText() === '检索档案', 'not the Chinese interface');
        await page.getByLabel('检索词').fill('批准');
        await page.getByLabel('文本语文').selectOption('zh');
        await page.getByRole('button', { name: '检索' }).click();
        await page.waitForURL(/q=%E6%89%B9%E5%87%86/);
        const text = await look(page, '05-search-zh', 'zh');
        check(text.includes('结果数: 1') || text.includes('结果数：1') || /结果数.*1/.test(text),
              `not one hit: ${text.slice(0, 300)}`);
        check(text.includes('关于批准情况的报告'), 'the Chinese hit is missing');
        check(await page.locator('mark').first().innerText() === '批准', 'the match is not marked');
        check(await page.getByLabel('文本语文').inputValue() === 'zh', 'the filter is not kept');
    });

    await step('search in Arabic, right to left, then the next page', async () => {
        await page.goto(`${base}/search?lang=ar`);
        check(await page.evaluate(() => getComputedStyle(document.body).direction) === 'rtl',
              'the Arabic interface is not right to left');
        await page.getByLabel('الكلمات').fill('التصديق');
        await page.getByRole('button', { name: 'بحث' }).click();
        await page.waitForURL(/q=/);
        const title = page.locator('.title[lang="ar"]');
        check((await title.innerText()) === 'تقرير عن حالة التصديق', 'no Arabic hit');
        check(await title.evaluate(e => getComputedStyle(e).direction) === 'rtl', 'hit not rtl');
        await look(page, '06-search-ar', 'ar');
        // Pages: three hits a page of the English word, then the next
        await page.goto(`${base}/search?q=ratification&page_size=3`);
        const firstPage = await page.locator('ol.hits li').allInnerTexts();
        await page.getByRole('link', { name: 'Next page' }).click();
        await page.waitForURL(/page=2/);
        const second = await page.locator('ol.hits li').allInnerTexts();
        check(second.length === 3 && second.every(hit => !firstPage.includes(hit)),
              'page 2 repeats page 1');
        check(await page.locator('ol.hits').getAttribute('start') === '4', 'page 2 starts at 4');
        await look(page, '07-search-page2', 'en');
        await page.getByRole('link', { name: /CCM\/MSP\/2030\/.*/ }).first().isVisible();
    });

    await step('hostile text stays text; nothing secret is found', async () => {
        await page.goto(`${base}/search?q=SECRETXYZZY`);
        const text = await look(page, '08-search-secret', 'en', 'SECRETXYZZY');
        check(!(await page.locator('ol.hits').count()), 'hits for a restricted word');
        check(text.includes('Items found: 0'), 'a restricted document was found');
        const response = await page.goto(`${base}/documents/CCM/MSP/2030/9`);
        check(response.status() === 404, 'a restricted document has a page');
        // (its address, in the language links, is what the reader asked for: a
        // symbol never released gets the same page)
        const hidden = await page.content();
        const never = await page.goto(`${base}/documents/CCM/MSP/2030/99`);
        check(never.status() === 404 && (await page.content()).replaceAll('2030/99', '2030/9')
              === hidden, 'a restricted document\'s 404 differs from a never released one\'s');
        await look(page, '09-not-found', 'en', 'CCM/MSP/2030/99');
    });

    await step('keyboard: a search by Tab, typing and Enter, each stop with a focus ring', async () => {
        await page.goto(`${base}/search`);
        let at = '';
        for (let tabs = 0; tabs < 20 && at !== 'q'; tabs++) {
            await page.keyboard.press('Tab');
            const [name, ring] = await page.evaluate(() => {
                const e = document.activeElement, style = getComputedStyle(e);
                return [e.name || e.className || e.tagName,
                        style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2];
            });
            check(ring, `no visible focus on ${name}`);
            at = name;
        }
        check(at === 'q', 'Tab never reaches the search words');
        await page.keyboard.type('ratification');
        await page.keyboard.press('Enter');
        await page.waitForURL(/q=ratification/);
        check(await page.locator('ol.hits li').count() > 0, 'no hits from the keyboard\'s search');
        for (let tabs = 0; tabs < 60; tabs++) {
            await page.keyboard.press('Tab');
            if (await page.evaluate(() => !!document.activeElement.closest('ol.hits')))
                break;
        }
        check(await page.evaluate(() => !!document.activeElement.closest('ol.hits')),
              'Tab never reaches the hits');
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/documents\//);
        check(await page.locator('h1').isVisible(), 'the hit opened from the keyboard');
        await look(page, '10-keyboard-hit', 'en');
    });

    await step('a phone: nothing wider than the screen, the programme as cards', async () => {
        const phone = await reader('Europe/Zurich', 'fr-CH',
                                   { viewport: { width: 360, height: 740 }, isMobile: true });
        for (const [path, name] of [[`/meetings/${M}`, '11-phone-meeting'],
                                    ['/search?q=ratification', '12-phone-search'],
                                    ['/documents/CCM/MSP/2030/1', '13-phone-document']]) {
            await phone.page.goto(base + path);
            await look(phone.page, name, 'fr');
            const wide = await phone.page.evaluate(() =>
                document.documentElement.scrollWidth - document.documentElement.clientWidth);
            check(wide <= 0, `${path} is ${wide}px wider than the phone`);
        }
        check((await phone.page.locator('h1').innerText()) === 'CCM/MSP/2030/1', 'heading');
        await phone.page.goto(`${base}/meetings/${M}`);
        check((await phone.page.locator('h2').nth(1).innerText()) === 'Programme de travail',
              'Accept-Language fr not followed');
        await phone.context.close();
    });

    await step('without JavaScript: UTC shown, no copy button, the address selectable', async () => {
        const plain = await reader('Asia/Shanghai', 'en', { javaScriptEnabled: false });
        await plain.page.goto(`${base}/meetings/${M}`);
        const text = await look(plain.page, '14-nojs-meeting', 'en');
        const first = await plain.page.locator('tbody tr').first().innerText();
        check(first.includes('08:00–11:00'), `not UTC without the script: ${first}`);
        check(!(await plain.page.getByRole('button', { name: 'Copy' }).isVisible()),
              'a copy button that cannot work');
        check(await plain.page.locator('#feed').isVisible(), 'no feed address');
        await plain.page.goto(`${base}/search`);
        await plain.page.getByLabel('Words').fill('ratification');
        await plain.page.getByLabel('Kind').selectOption('statement');
        await plain.page.getByRole('button', { name: 'Search' }).click();
        await plain.page.waitForURL(/kind=statement/);
        check((await look(plain.page, '15-nojs-search', 'en')).includes('Items found: 1'),
              'the form does not work without the script');
        check(text.includes('Programme of work'), 'the meeting page');
        await plain.context.close();
    });

    await step('print: the lists without header, forms or subscribe links', async () => {
        await page.goto(`${base}/meetings/${M}`);
        await page.emulateMedia({ media: 'print' });
        check(!(await page.locator('header').isVisible()), 'the header prints');
        check(!(await page.locator('.subscribe').isVisible()), 'subscribe links print');
        check(await page.locator('table.cards').first().isVisible(), 'the programme does not print');
        await look(page, '16-print-meeting', 'en');
        await page.emulateMedia({ media: 'screen' });
    });
} catch (error) {
    console.error(`FAIL: ${error.message}`);
    await browser.close();
    process.exit(1);
}
console.log(await web.close());
