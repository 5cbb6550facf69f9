/**
 * Browse with 10,000 seeded listings (issue #7), against a stack of its own that `cargo xtask
 * test e2e` starts beside the usual one (the real models plus `ASSAY_SEED_LISTINGS`-style
 * synthetic listings; the other specs keep their exact counts): the first page renders and a
 * filter and a search apply.
 *
 * What the page should show is worked out here, independently of the app: every listing is read
 * from the chain with Foundry's `cast call --json` (`modelsPage`, 200 at a time) and its card from
 * the IPFS node's gateway; the expected counts and the names of the first cards follow from those
 * and the documented rules (newest first; "Commercial use" = a tier allowing it that is neither
 * paused nor sold out; every search word in the card's name, description, task or tags).
 * The page's own timing marks are recorded (console, report annotations), not asserted: the
 * figures belong in bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

const CAST = fileURLToPath(
  new URL('../../contracts/node_modules/@foundry-rs/cast-linux-amd64/bin/cast', import.meta.url),
);
/** Cards shown before "Show more" (assay_core::browse::PAGE). */
const PAGE = 48;
const SUMMARY =
  '(uint256,address,address,string,bool,uint32,uint16,uint64,uint64,uint64,(uint96,uint32,uint32,uint32,bool,bool,bool,bool,string)[],bool)';

function large(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: this spec needs the large-catalogue stack that \`cargo xtask test e2e\` starts (xtask/src/test.rs).`,
    );
  }
  return value;
}

type Tier = { commercial: boolean; paused: boolean; maxSupply: number; sold: number };
type Listing = { id: number; manifestCid: string; tiers: Tier[]; delisted: boolean };
type CardText = { name: string; search: string };

function cast(...args: string[]): string {
  return execFileSync(CAST, args, { encoding: 'utf8', maxBuffer: 64 << 20 }).trim();
}

/**
 * Listings read by one `modelsPage` call. A view's memory costs gas quadratically: 500 of the seed's
 * listings take 29–30M gas, at anvil's 30M cap for `eth_call`; 200 take ~9M (the app reads 25).
 */
const CHAIN_PAGE = 200;

/** Every listing, read from the chain `CHAIN_PAGE` at a time. */
function readListings(rpc: string, market: string): Listing[] {
  const total = Number(cast('call', '--rpc-url', rpc, market, 'modelCount()(uint256)').split(' ')[0]);
  const listings: Listing[] = [];
  for (let offset = 0; offset < total; offset += CHAIN_PAGE) {
    const [page] = JSON.parse(
      cast(
        'call',
        '--json',
        '--rpc-url',
        rpc,
        market,
        `modelsPage(uint256,uint256)(${SUMMARY}[],uint256)`,
        String(offset),
        String(CHAIN_PAGE),
      ),
    );
    for (const s of page as unknown[][]) {
      const tiers = (s[10] as unknown[][]).map((t) => ({
        maxSupply: Number(t[2]),
        sold: Number(t[3]),
        commercial: t[4] === true,
        paused: t[7] === true,
      }));
      listings.push({ id: Number(s[0]), manifestCid: String(s[3]), tiers, delisted: s[11] === true });
    }
  }
  expect(listings.length, 'modelsPage returns modelCount() listings').toBe(total);
  return listings;
}

/** Each distinct card's name and search text (name, description, task, tags; lowercase). */
async function readCards(ipfsUrl: string, listings: Listing[]): Promise<Map<string, CardText>> {
  const cards = new Map<string, CardText>();
  for (const cid of new Set(listings.map((l) => l.manifestCid))) {
    const response = await fetch(`${ipfsUrl}/ipfs/${cid}`);
    expect(response.ok, `card ${cid} from the IPFS node`).toBe(true);
    const card = (await response.json()) as { name?: string; description?: string; task?: string; tags?: string[] };
    const parts = [card.name ?? '', card.description ?? '', card.task ?? '', ...(card.tags ?? [])];
    cards.set(cid, { name: card.name ?? '', search: parts.map((p) => p.toLowerCase()).join('\n') });
  }
  return cards;
}

const available = (t: Tier) => !t.paused && !(t.maxSupply > 0 && t.sold >= t.maxSupply);
const newestFirst = (listings: Listing[]) => [...listings].sort((a, b) => b.id - a.id);

const results = (page: Page) => page.getByTestId('browse-results');
const shownNames = (page: Page) => page.getByTestId('listing-card').getByTestId('listing-link').allInnerTexts();

/** The page's timing marks after the latest render (app/src/pages/browse.rs). */
async function marks(page: Page) {
  return page.evaluate(() => ({
    firstPageMs: document.body.dataset.browseFirstPageMs,
    applyMs: document.body.dataset.browseApplyMs,
    renderMs: document.body.dataset.browseRenderMs,
    renders: document.body.dataset.browseRenders,
  }));
}

test('browse with 10,000 seeded listings renders the first page and applies a filter', async ({
  page,
  saveScreenshot,
}, testInfo) => {
  test.setTimeout(300_000);
  const appUrl = large('ASSAY_LARGE_APP_URL');
  const rpc = large('ASSAY_LARGE_RPC_URL');
  const ipfsUrl = large('ASSAY_LARGE_IPFS_URL');
  const config = (await (await fetch(new URL('config.json', appUrl))).json()) as { contracts: Record<string, string> };
  const listings = readListings(rpc, config.contracts.AssayMarket);
  expect(listings.length, 'the large catalogue is seeded').toBeGreaterThanOrEqual(10_000);
  const cards = await readCards(ipfsUrl, listings);
  const nameOf = (l: Listing) => cards.get(l.manifestCid)!.name;
  const record = async (step: string) => {
    const m = await marks(page);
    console.log(`browse-large ${step}: ${JSON.stringify(m)}`);
    testInfo.annotations.push({ type: `browse (10k) ${step}`, description: JSON.stringify(m) });
  };

  // The first page: every listing counted, the 48 newest shown by their card names.
  await page.goto(new URL('#/', appUrl).href);
  await expect(page.getByTestId('catalogue-count')).toHaveAttribute('data-count', String(listings.length), {
    timeout: 120_000,
  });
  // Delisted models (the seed's copy of magika) are hidden unless asked for.
  const listed = listings.filter((l) => !l.delisted);
  expect(listed.length, 'the seed delists one model').toBe(listings.length - 1);
  await expect(results(page)).toHaveAttribute('data-count', String(listed.length));
  await expect(results(page)).toHaveAttribute('data-undecided', '0', { timeout: 60_000 });
  await expect(page.locator('[data-testid="listing-card"][data-loading="true"]')).toHaveCount(0);
  expect(await shownNames(page)).toEqual(newestFirst(listed).slice(0, PAGE).map(nameOf));
  await expect(page.getByTestId('browse-more')).toContainText(
    `(${(listed.length - PAGE).toLocaleString('en-US')} left)`,
  );
  await record('first page');
  await saveScreenshot('browse-large');

  // A filter: only listings with an available tier allowing commercial use.
  const commercial = newestFirst(listed.filter((l) => l.tiers.some((t) => t.commercial && available(t))));
  expect(commercial.length, 'the seed mixes research-only and commercial listings').toBeLessThan(listed.length);
  const rendersBefore = Number((await marks(page)).renders);
  await page.getByTestId('browse-commercial').check();
  await expect(page).toHaveURL(/commercial=1/);
  await expect(results(page)).toHaveAttribute('data-count', String(commercial.length));
  expect(await shownNames(page)).toEqual(commercial.slice(0, PAGE).map(nameOf));
  await expect
    .poll(async () => Number((await marks(page)).renders), 'the grid re-rendered in place, not remounted')
    .toBeGreaterThan(rendersBefore);
  await record('commercial filter');

  // A search on top of it: every word in the card's text.
  const digits = commercial.filter((l) => cards.get(l.manifestCid)!.search.includes('digits'));
  expect(digits.length).toBeGreaterThan(0);
  expect(digits.length).toBeLessThan(commercial.length);
  await page.getByTestId('browse-search').fill('digits');
  await expect(page).toHaveURL(/q=digits/);
  await expect(results(page)).toHaveAttribute('data-count', String(digits.length));
  expect(await shownNames(page)).toEqual(digits.slice(0, PAGE).map(nameOf));
  await record('search "digits"');
  await saveScreenshot('browse-large-filtered');
});
