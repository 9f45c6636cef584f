/**
 * Places inside regions, for keyword search: a screenshot names the town ("Suwa", "Beppu",
 * "Hongdae"), the person searching names the region ("nagano", "kyushu", "seoul"). Keyword search
 * cannot know that one holds the other, so a region typed in a query also accepts the places
 * listed under it (services/search/expansion.ts), and a region listed under a region brings its
 * own places too (kyushu → fukuoka → hakata).
 *
 * Downward only: "fukuoka" does not stand for all of Kyushu. Each place is written as the one
 * distinctive word people use (its generic part, "lake", "onsen", "park", would match every lake,
 * onsen and park); names that are also common words ("golden", "aurora", "nice") are left out.
 * Where most saved travel screenshots are (Japan, Korea, Taiwan) plus a few US states the
 * collections hold; it is data, extend it as collections grow.
 */
export const PLACE_REGIONS: Readonly<Record<string, string>> = {
  // Japan: regions → prefectures and best-known places; prefectures → cities, towns, areas.
  hokkaido: 'sapporo, otaru, hakodate, furano, biei, niseko, asahikawa, kushiro, shiretoko, noboribetsu, toya, abashiri, obihiro',
  tohoku: 'aomori, iwate, miyagi, akita, yamagata, fukushima, sendai, morioka, hirosaki, kakunodate, zao, ginzan, matsushima, aizu, oirase',
  kanto: 'tokyo, kanagawa, saitama, chiba, ibaraki, tochigi, gunma, yokohama, kamakura, hakone, nikko, kawagoe, kusatsu, enoshima',
  tokyo:
    'shinjuku, shibuya, harajuku, asakusa, ginza, akihabara, roppongi, ikebukuro, ueno, shimokitazawa, nakameguro, ebisu, odaiba, ' +
    'koenji, kichijoji, nakano, takao, daikanyama, omotesando, tsukiji, toyosu, shinagawa, yanaka, ryogoku, kagurazaka',
  kanagawa: 'yokohama, kamakura, hakone, enoshima, kawasaki, odawara, zushi',
  saitama: 'kawagoe, chichibu, omiya',
  tochigi: 'nikko, kinugawa, nasu',
  gunma: 'kusatsu, ikaho, minakami',
  chubu:
    'niigata, toyama, ishikawa, fukui, yamanashi, nagano, gifu, shizuoka, aichi, nagoya, kanazawa, takayama, matsumoto, karuizawa, hakuba',
  nagano: 'matsumoto, karuizawa, hakuba, nozawa, suwa, kamikochi, jigokudani, zenkoji, obuse, kiso, tsumago, magome, shinshu, azumino',
  yamanashi: 'kawaguchiko, fujiyoshida, kofu, yamanakako, oshino',
  shizuoka: 'atami, izu, hamamatsu, shuzenji, shimoda',
  gifu: 'takayama, shirakawa, gero, hida, gujo',
  ishikawa: 'kanazawa, noto, kaga, wajima',
  aichi: 'nagoya, inuyama, okazaki',
  kansai: 'osaka, kyoto, nara, hyogo, kobe, wakayama, shiga, mie, himeji, arima, koyasan, uji, ise',
  kinki: 'osaka, kyoto, nara, hyogo, kobe, wakayama, shiga, mie, himeji, arima, koyasan, uji, ise',
  osaka: 'namba, umeda, dotonbori, shinsekai, tennoji, shinsaibashi, nakazakicho',
  kyoto: 'arashiyama, gion, kiyomizu, fushimi, uji, pontocho, higashiyama, kinkakuji, kurama, kibune, ohara',
  hyogo: 'kobe, himeji, arima, kinosaki, awaji',
  nara: 'yoshino, ikaruga, todaiji',
  wakayama: 'koyasan, shirahama, kumano, nachi',
  chugoku: 'hiroshima, okayama, tottori, shimane, yamaguchi, miyajima, onomichi, kurashiki, izumo, matsue',
  hiroshima: 'miyajima, onomichi, itsukushima, kure',
  okayama: 'kurashiki, naoshima',
  shikoku: 'kagawa, tokushima, ehime, kochi, takamatsu, matsuyama, naoshima, dogo, iya, shimanto',
  kyushu:
    'fukuoka, saga, nagasaki, kumamoto, oita, miyazaki, kagoshima, beppu, yufuin, hakata, kitakyushu, dazaifu, aso, takachiho, ' +
    'sakurajima, yakushima, hita, kurokawa, itoshima, arita, ureshino, takeo',
  fukuoka: 'hakata, tenjin, nakasu, dazaifu, itoshima, kitakyushu, yanagawa, momochi',
  oita: 'beppu, yufuin, usuki, hita, kunisaki, taketa, bungo, kokonoe',
  kumamoto: 'aso, kurokawa, amakusa, hitoyoshi, kikuchi',
  saga: 'arita, ureshino, takeo, karatsu, imari',
  nagasaki: 'sasebo, gunkanjima, unzen, goto, hirado',
  miyazaki: 'takachiho, nichinan, aoshima',
  kagoshima: 'sakurajima, yakushima, ibusuki, kirishima, amami',
  okinawa: 'naha, ishigaki, miyakojima, kerama, churaumi, iriomote, zamami, taketomi, kouri, onna',
  // Korea.
  korea: 'seoul, busan, jeju, incheon, gyeongju, daegu, jeonju, gangneung, sokcho, suwon, gangwon, andong',
  seoul:
    'gangnam, hongdae, myeongdong, itaewon, insadong, bukchon, jongno, seongsu, euljiro, yeouido, jamsil, dongdaemun, namsan, ' +
    'bukhansan, mangwon, yeonnam, apgujeong, sinsa, gyeongbokgung',
  busan: 'haeundae, gamcheon, gwangalli, jagalchi, seomyeon, nampo, gijang, songdo',
  gangwon: 'gangneung, sokcho, chuncheon, pyeongchang, seoraksan, yangyang',
  jeju: 'seogwipo, hallasan, udo, aewol, seongsan',
  // Taiwan.
  taiwan: 'taipei, tainan, taichung, kaohsiung, hualien, jiufen, taroko, keelung, yilan, kenting',
  taipei: 'ximending, shilin, beitou, raohe, daan, xinyi, tamsui, songshan, maokong',
  // United States: states → cities and towns.
  colorado: 'denver, boulder, longmont, breckenridge, vail, aspen, estes, loveland, telluride, durango, lakewood, littleton, arvada',
  california: 'napa, yosemite, sonoma, malibu, oakland, sacramento, tahoe',
  hawaii: 'honolulu, maui, oahu, waikiki, kauai, kona',
};
