// Dates for the languages whose CLDR data Chromium does not ship (its ICU is trimmed):
// Khmer, Lao and Burmese. Intl silently formats those in English, so formatting here uses
// CLDR's month names, long-date order and default digits (Myanmar digits for Burmese),
// with Intl still doing the time-zone arithmetic. Also region names for the same three.
const MONTHS = {
  km: ['មករា', 'កុម្ភៈ', 'មីនា', 'មេសា', 'ឧសភា', 'មិថុនា', 'កក្កដា', 'សីហា', 'កញ្ញា', 'តុលា', 'វិច្ឆិកា', 'ធ្នូ'],
  lo: ['ມັງກອນ', 'ກຸມພາ', 'ມີນາ', 'ເມສາ', 'ພຶດສະພາ', 'ມິຖຸນາ', 'ກໍລະກົດ', 'ສິງຫາ', 'ກັນຍາ', 'ຕຸລາ', 'ພະຈິກ', 'ທັນວາ'],
  my: ['ဇန်နဝါရီ', 'ဖေဖော်ဝါရီ', 'မတ်', 'ဧပြီ', 'မေ', 'ဇွန်', 'ဇူလိုင်', 'ဩဂုတ်', 'စက်တင်ဘာ', 'အောက်တိုဘာ', 'နိုဝင်ဘာ', 'ဒီဇင်ဘာ'],
};
// CLDR long date patterns: km "d MMMM y", lo "d MMMM y", my "y MMMM d"
const DATE = {
  km: (d, m, y) => `${d} ${m} ${y}`,
  lo: (d, m, y) => `${d} ${m} ${y}`,
  my: (d, m, y) => `${y} ${m} ${d}`,
};
const RELATIVE = {
  km: { units: { second: 'វិនាទី', minute: 'នាទី', hour: 'ម៉ោង', day: 'ថ្ងៃ' }, past: (n, u) => `${n} ${u}មុន`, future: (n, u) => `ក្នុងរយៈពេល ${n} ${u}` },
  lo: { units: { second: 'ວິນາທີ', minute: 'ນາທີ', hour: 'ຊົ່ວໂມງ', day: 'ມື້' }, past: (n, u) => `${n} ${u}ກ່ອນ`, future: (n, u) => `ໃນອີກ ${n} ${u}` },
  my: { units: { second: 'စက္ကန့်', minute: 'မိနစ်', hour: 'နာရီ', day: 'ရက်' }, past: (n, u) => `ပြီးခဲ့သည့် ${n} ${u}`, future: (n, u) => `${n} ${u}အတွင်း` },
};
const REGIONS = {
  km: { VN: 'វៀតណាម', CN: 'ចិន', TH: 'ថៃ', LA: 'ឡាវ', KH: 'កម្ពុជា', MM: 'មីយ៉ាន់ម៉ា', MY: 'ម៉ាឡេស៊ី', SG: 'សិង្ហបុរី', ID: 'ឥណ្ឌូណេស៊ី', PH: 'ហ្វីលីពីន', BN: 'ព្រុយណេ', TL: 'ទីម័រ-លេស្តេ', JP: 'ជប៉ុន', KR: 'កូរ៉េខាងត្បូង', IN: 'ឥណ្ឌា', AU: 'អូស្ត្រាលី', US: 'សហរដ្ឋអាមេរិក', GB: 'ចក្រភពអង់គ្លេស', FR: 'បារាំង', DE: 'អាល្លឺម៉ង់', RU: 'រុស្ស៊ី' },
  lo: { VN: 'ຫວຽດນາມ', CN: 'ຈີນ', TH: 'ໄທ', LA: 'ລາວ', KH: 'ກຳປູເຈຍ', MM: 'ມຽນມາ', MY: 'ມາເລເຊຍ', SG: 'ສິງກະໂປ', ID: 'ອິນໂດເນເຊຍ', PH: 'ຟິລິບປິນ', BN: 'ບຣູໄນ', TL: 'ຕີມໍ-ເລສເຕ', JP: 'ຍີ່ປຸ່ນ', KR: 'ເກົາຫຼີໃຕ້', IN: 'ອິນເດຍ', AU: 'ອອສເຕຣເລຍ', US: 'ສະຫະລັດ', GB: 'ສະຫະລາຊະອານາຈັກ', FR: 'ຝຣັ່ງ', DE: 'ເຢຍລະມັນ', RU: 'ຣັດເຊຍ' },
  my: { VN: 'ဗီယက်နမ်', CN: 'တရုတ်', TH: 'ထိုင်း', LA: 'လာအို', KH: 'ကမ္ဘောဒီးယား', MM: 'မြန်မာ', MY: 'မလေးရှား', SG: 'စင်္ကာပူ', ID: 'အင်ဒိုနီးရှား', PH: 'ဖိလစ်ပိုင်', BN: 'ဘရူနိုင်း', TL: 'တီမောလက်စ်တီ', JP: 'ဂျပန်', KR: 'တောင်ကိုရီးယား', IN: 'အိန္ဒိယ', AU: 'ဩစတြေးလျ', US: 'အမေရိကန်ပြည်ထောင်စု', GB: 'ယူနိုက်တက်ကင်းဒမ်း', FR: 'ပြင်သစ်', DE: 'ဂျာမနီ', RU: 'ရုရှား' },
};
const MYANMAR_DIGITS = '၀၁၂၃၄၅၆၇၈၉';

export const hasFallback = (code) => code in MONTHS;

/** Latin digits to the language's default digits (CLDR: Myanmar digits for Burmese). */
export function digits(code, s) {
  return code === 'my' ? String(s).replace(/[0-9]/g, (d) => MYANMAR_DIGITS[d]) : String(s);
}

const partFormats = new Map(); // one formatter per zone: building one costs far more than using it
function parts(date, timeZone) {
  let f = partFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    partFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  return { y: p.year, m: Number(p.month), d: p.day, hh: p.hour, mm: p.minute };
}

export function formatDateTime(code, date, timeZone, opts) {
  const p = parts(date, timeZone);
  const out = [];
  if (opts.dateStyle || (!opts.timeStyle && !opts.hour)) out.push(DATE[code](p.d, MONTHS[code][p.m - 1], p.y));
  if (opts.timeStyle || opts.hour) out.push(`${p.hh}:${p.mm}`);
  return digits(code, out.join(' '));
}

export function formatRelative(code, value, unit) {
  const r = RELATIVE[code];
  const n = digits(code, Math.abs(value));
  return value < 0 ? r.past(n, r.units[unit]) : r.future(n, r.units[unit]);
}

export function regionName(code, region) {
  return REGIONS[code]?.[region];
}
