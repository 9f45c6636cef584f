import { describe, expect, it } from 'vitest';
import { hangulToRoman } from '../../src/shared/text/hangul.js';

describe('Hangul to Revised Romanization', () => {
  it('spells names as the analyses do, a final carried over to a silent ㅇ', () => {
    expect(hangulToRoman('성수')).toBe('seongsu');
    expect(hangulToRoman('을지로')).toBe('euljiro');
    expect(hangulToRoman('북한산')).toBe('bukhansan');
    expect(hangulToRoman('경복궁')).toBe('gyeongbokgung');
    expect(hangulToRoman('이태원')).toBe('itaewon');
    expect(hangulToRoman('떡볶이')).toBe('tteokbokki');
    expect(hangulToRoman('비빔밥')).toBe('bibimbap');
    expect(hangulToRoman('한국어')).toBe('hangugeo');
    // ㅇ as a final stays "ng" before a vowel.
    expect(hangulToRoman('강아지')).toBe('gangaji');
  });

  it('leaves anything but a word of Hangul syllables alone', () => {
    expect(hangulToRoman('서울 카페')).toBeUndefined();
    expect(hangulToRoman('ㅋㅋ')).toBeUndefined();
    expect(hangulToRoman('東京')).toBeUndefined();
    expect(hangulToRoman('seoul')).toBeUndefined();
    expect(hangulToRoman('')).toBeUndefined();
  });
});
