// tests/web/signed_in.mjs BASE SHOTS PASSWORD DUPONT — the /secretariat/
// pages in a real browser (tests/web_signed_in.sh's system and data, after
// its own checks over HTTP).  A visitor is sent to the sign-in page; a wrong
// password is said; amina (secretariat) signs in with the form, opens a
// meeting's dashboard (its gender chart), prints it without the account
// bar, registers a participant with the form (by labels, Enter to send),
// approves DUPONT from the approval queue, and sees each verdict of the
// worker; signs out; the sign-in page in Arabic, right to left; jean (de's
// focal point) sees a queue of its own delegation only.  Every page has its
// screenshot in SHOTS, <html lang dir>, labelled controls and no axe-core
// WCAG 2.1 A or AA violation (tests/web/browser.mjs).  Prints "ok: STEP"
// per step; exits 1 at the first failure.
import { browserRun, check } from './browser.mjs';

const [base, shots, password, dupont] = process.argv.slice(2);
const M = 'ccm-msp13';
const web = await browserRun(base, shots, [password]);
const { reader, look, step } = web;

async function signIn (page, name, secret) {
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
}

try {
    const { page, context } = await reader('Europe/Zurich', 'en-GB');

    await step('a visitor is sent to the sign-in page', async () => {
        await page.goto(`${base}/secretariat/meetings/${M}`);
        check(page.url() === `${base}/secretariat/sign-in`, `landed on ${page.url()}`);
        await look(page, '21-sign-in', 'en');
    });

    await step('a wrong password is said, and nothing more', async () => {
        await signIn(page, 'amina', 'not the password at all');
        const text = await look(page, '22-sign-in-wrong', 'en');
        check(text.includes('Wrong user name or password.'), 'the refusal is not said');
        check((await context.cookies()).length === 0, 'a cookie after a wrong password');
    });

    await step('amina signs in: the meetings, with her name', async () => {
        await signIn(page, 'amina', password);
        await page.waitForURL(`${base}/secretariat/`);
        const text = await look(page, '23-secretariat', 'en');
        check(text.includes('Signed in as amina'), 'who is signed in is not said');
        const [cookie] = await context.cookies();
        check(cookie && cookie.httpOnly && cookie.sameSite === 'Strict', 'the cookie is not HttpOnly, Strict');
    });

    await step('the dashboard: figures and the gender chart', async () => {
        await page.getByRole('link', { name: 'Open its dashboard' }).click();
        await page.waitForURL(`${base}/secretariat/meetings/${M}`);
        check(await page.getByRole('img', { name: 'Gender balance' }).isVisible(), 'no chart');
        const text = await look(page, '24-dashboard', 'en');
        check(text.includes('Credentials'), 'no credentials');
    });

    await step('print: the dashboard without the account bar or forms', async () => {
        await page.emulateMedia({ media: 'print' });
        check(!(await page.locator('.account').isVisible()), 'the account bar prints');
        check(await page.locator('#gender').isVisible(), 'the figures do not print');
        await look(page, '25-dashboard-print', 'en');
        await page.emulateMedia({ media: 'screen' });
    });

    await step('the registration form, by labels and the keyboard', async () => {
        await page.goto(`${base}/secretariat/meetings/${M}/register`);
        await look(page, '26-register', 'en');
        await page.getByLabel('Family name').fill('Okafor');
        await page.getByLabel('Given names').fill('Ngozi');
        await page.getByLabel('Delegation').fill('FR');
        await page.getByLabel('Gender').selectOption('f');
        await page.getByLabel('Sponsored by the sponsorship programme').check();
        await page.getByLabel('Family name').press('Enter');
        await page.waitForLoadState();
        const text = await look(page, '26-register-recorded', 'en');
        check(/Recorded: participant\.registered p\d+/.test(text), 'no verdict shown');
    });

    await step('the approval queue: approve, and the worker\'s verdict', async () => {
        await page.goto(`${base}/secretariat/meetings/${M}/queue`);
        await look(page, '26-queue', 'en');
        await page.getByRole('button', { name: 'Approve Dupont, Anne' }).click();
        await page.waitForLoadState();
        const text = await look(page, '27-queue-approved', 'en');
        check(text.includes(`Recorded: participant.approved ${dupont}`), 'no verdict shown');
    });

    await step('sign out: back to the sign-in page, the pages closed', async () => {
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL(/\/secretariat\/sign-in/);
        await page.goto(`${base}/secretariat/`);
        check(page.url() === `${base}/secretariat/sign-in`, 'still signed in');
    });

    await step('the sign-in page in Arabic, right to left', async () => {
        await page.goto(`${base}/secretariat/sign-in?lang=ar`);
        await look(page, '28-sign-in-ar', 'ar');
    });

    await step('a focal point: its own queue', async () => {
        await page.goto(`${base}/secretariat/sign-in`);
        await signIn(page, 'jean', password);
        await page.waitForURL(`${base}/secretariat/`);
        await page.goto(`${base}/secretariat/meetings/${M}/queue?lang=fr`);
        const text = await look(page, '29-focal-queue-fr', 'fr');
        check(!text.includes('Dupont'), 'another delegation in a focal point\'s queue');
    });
    await context.close();
} catch (error) {
    console.error(`FAIL: ${error.message}`);
    await web.browser.close();
    process.exit(1);
}
console.log(await web.close());
