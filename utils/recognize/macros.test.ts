import { describe, expect, it } from 'vitest';
import { detectMacro } from './macros';

describe('detectMacro', () => {
  it.each([
    ['{subid}', '{}'],
    ['{_subid}', '{}'],
    ['{sub_id_1}', '{}'],
    ['{subacc4}', '{}'], // from the [P2] log excerpt
    ['{status:lead=0 sale=1 rejected=2}', '{}'], // [K13]
    ['abc{subid}', '{}'],
    ['{replace}', '{}'],
    ['%7Bsubid%7D', '%7B%7D'],
    ['%257Bsubid%257D', '%7B%7D'],
    ['[SUB_ID]', '[]'],
    ['[REPLACE]', '[]'],
    ['##CLICK_ID##', '##'],
    ['#s2#', '#…#'],
    ['#reqid#', '#…#'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the macro text itself
    ['${SUBID}', '${}'],
    ['REPLACE', 'filler'],
    ['OPTIONAL', 'filler'],
    ['TRANSACTION_ID', 'filler'],
    ['AFFSESSIONID', 'filler'],
    ['CLICK_ID', 'filler'],
    ['SUBID', 'filler'],
  ])('%s is a %s macro', (value, style) => {
    expect(detectMacro(value)).toBe(style);
  });

  it('tells an encoded brace from a literal one by the raw text', () => {
    expect(detectMacro('{subid}', '%7Bsubid%7D')).toBe('%7B%7D');
    expect(detectMacro('{subid}', '{subid}')).toBe('{}');
  });

  it.each([
    '',
    '51ts6sgr1cbkdhljnrv',
    'c384EFV6JHQODRN70575OK6UG5',
    '1027c887059b47bc69c699f45466b9',
    '{"a":1}',
    'a[0]',
    '#1',
    '50%',
    'Replace',
    'USD',
    '12.50',
    '$5',
    'C#',
  ])('%s is a value', (value) => {
    expect(detectMacro(value)).toBeNull();
  });
});
