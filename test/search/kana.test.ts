import { describe, expect, it } from 'vitest';
import { isKanaWord, kanaToRomaji } from '../../src/shared/text/kana.js';

describe('kana to romaji', () => {
  it('reads kana as names are spelled in Latin letters (Hepburn, long vowels written once)', () => {
    expect(kanaToRomaji('どんぐり')).toBe('donguri');
    expect(kanaToRomaji('とんこつ')).toBe('tonkotsu');
    expect(kanaToRomaji('さっぽろ')).toBe('sapporo');
    expect(kanaToRomaji('まっちゃ')).toBe('matcha');
    expect(kanaToRomaji('しゃぶしゃぶ')).toBe('shabushabu');
    expect(kanaToRomaji('きょうと')).toBe('kyoto');
    expect(kanaToRomaji('とうきょう')).toBe('tokyo');
    expect(kanaToRomaji('じゅく')).toBe('juku');
    expect(kanaToRomaji('らーめん')).toBe('ramen');
    // Katakana reads the same.
    expect(kanaToRomaji('ドンキ')).toBe('donki');
    expect(kanaToRomaji('ユニクロ')).toBe('yunikuro');
  });

  it('leaves anything but a kana word alone', () => {
    expect(isKanaWord('高尾山')).toBe(false);
    expect(kanaToRomaji('高尾山')).toBeUndefined();
    expect(kanaToRomaji('パン屋')).toBeUndefined();
    expect(kanaToRomaji('서울')).toBeUndefined();
    expect(kanaToRomaji('ramen')).toBeUndefined();
    expect(kanaToRomaji('')).toBeUndefined();
  });
});
