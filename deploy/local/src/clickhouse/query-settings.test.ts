import { describe, expect, it } from 'vitest';
import { isEngineSetting, settingLiteral, settingsTransition } from './query-settings';

describe('isEngineSetting', () => {
  it('keeps protocol and HTTP-only parameters away from the engine', () => {
    for (const name of [
      'query',
      'database',
      'query_id',
      'session_id',
      'wait_end_of_query',
      'enable_http_compression',
      'param_x',
      'readonly',
    ]) {
      expect([name, isEngineSetting(name)]).toEqual([name, false]);
    }
    for (const name of [
      'max_execution_time',
      'async_insert',
      'date_time_input_format',
      'output_format_json_quote_64bit_integers',
    ]) {
      expect([name, isEngineSetting(name)]).toEqual([name, true]);
    }
  });
});

describe('settingsTransition', () => {
  it('sets new and changed settings and resets dropped ones to DEFAULT', () => {
    const current = new Map([
      ['a', '1'],
      ['b', '2'],
    ]);
    const wanted = new Map([
      ['b', '3'],
      ['c', 'x'],
    ]);
    expect(settingsTransition(current, wanted)).toBe("SET a = DEFAULT, b = '3', c = 'x'");
  });

  it('is undefined when nothing changes', () => {
    expect(settingsTransition(new Map([['a', '1']]), new Map([['a', '1']]))).toBeUndefined();
  });

  it('quotes values so they cannot end the literal', () => {
    expect(settingLiteral("it's \\ ok")).toBe("'it\\'s \\\\ ok'");
  });
});
