// @vitest-environment jsdom
// biome-ignore-all lint/suspicious/noDocumentCookie: the page under test writes cookies this way, so the test does too
import { beforeEach, describe, expect, it } from 'vitest';
import { pageIds } from './page-ids';
import { scanPage } from './scan';

const scope = () => ({ document, localStorage, sessionStorage, host: 'landing.example' });

describe('pageIds', () => {
  it('finds the click ids of a landing URL and skips macros and short values', () => {
    expect(
      pageIds('http://lp.example/?subid=51ts6sgr1cbkdhljnrv&_token=abcdefghij&aff_sub=test&x=1'),
    ).toEqual([
      { param: 'subid', value: '51ts6sgr1cbkdhljnrv' },
      { param: '_token', value: 'abcdefghij' },
    ]);
    expect(pageIds('http://lp.example/?subid={subid}')).toEqual([]);
    expect(pageIds('http://lp.example/?subid=%7Bsubid%7D')).toEqual([]);
    expect(pageIds('http://lp.example/?subid=[SUB_ID]&cid=REPLACE')).toEqual([]);
    expect(pageIds('http://lp.example/no-query')).toEqual([]);
  });
});

describe('scanPage', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    localStorage.clear();
    sessionStorage.clear();
    for (const c of document.cookie.split(';')) document.cookie = `${c.split('=')[0]?.trim()}=; max-age=0`;
  });

  it('finds the id in both storages, a hidden input, a link and a form action, but never reads cookies', () => {
    const id = '51ts6sgr1cbkdhljnrv';
    document.cookie = `subid=${id}`;
    localStorage.setItem('kt', JSON.stringify({ subid: id }));
    sessionStorage.setItem('s', id);
    document.body.innerHTML = `
      <form action="/go?subid=${id}" name="f"><input type="hidden" name="subid" value="${id}"></form>
      <a href="//tracker.example/?_lp=1&amp;subid=${id}">Offer</a>
      <a href="/other">Other</a>`;
    const found = scanPage(scope(), [id], 5);
    expect(found.map((f) => [f.place, f.name])).toEqual([
      ['localStorage', 'kt'],
      ['sessionStorage', 's'],
      ['hidden-input', 'subid'],
      ['link', 'Offer'],
      ['form-action', 'f'],
    ]);
    expect(found.every((f) => f.value === id && f.at === 5)).toBe(true);
  });

  it('finds nothing when the page kept nothing, and does no work without ids', () => {
    document.body.innerHTML = '<input value="unrelated">';
    expect(scanPage(scope(), ['51ts6sgr1cbkdhljnrv'], 1)).toEqual([]);
    localStorage.setItem('x', '51ts6sgr1cbkdhljnrv');
    expect(scanPage(scope(), [], 1)).toEqual([]);
  });

  it('reads percent-encoded values and bounds the work on huge pages', () => {
    const id = 'abc:def1234';
    localStorage.setItem('enc', encodeURIComponent(id));
    document.body.innerHTML = Array.from({ length: 3000 }, () => `<a href="/?subid=${id}">x</a>`).join('');
    const found = scanPage(scope(), [id], 1);
    expect(found.filter((f) => f.place === 'localStorage')).toHaveLength(1);
    expect(found.filter((f) => f.place === 'link')).toHaveLength(500);
  });

  it('reads only the parts it is asked for', () => {
    const id = '51ts6sgr1cbkdhljnrv';
    localStorage.setItem('kt', id);
    sessionStorage.setItem('s', id);
    document.body.innerHTML = `<input type="hidden" name="subid" value="${id}">`;
    expect(scanPage(scope(), [id], 1, { dom: true }).map((f) => f.place)).toEqual(['hidden-input']);
    expect(scanPage(scope(), [id], 1, { sessionStorage: true }).map((f) => f.place)).toEqual([
      'sessionStorage',
    ]);
  });
});
