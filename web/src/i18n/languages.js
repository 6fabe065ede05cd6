// The 15 languages of shared/reference/domain.md. `intl` is the locale list handed to Intl:
// Tetum has no CLDR data in browsers, so its dates and numbers fall back to Timor-Leste's
// Portuguese, the country's other official language.
export const LANGUAGES = [
  { code: 'en', name: 'English', intl: ['en-GB'] },
  { code: 'zh', name: '中文', intl: ['zh-CN'] },
  { code: 'vi', name: 'Tiếng Việt', intl: ['vi-VN'] },
  { code: 'th', name: 'ไทย', intl: ['th-TH'] },
  { code: 'ms', name: 'Bahasa Melayu', intl: ['ms-MY'] },
  { code: 'id', name: 'Bahasa Indonesia', intl: ['id-ID'] },
  { code: 'fil', name: 'Filipino', intl: ['fil-PH'] },
  { code: 'km', name: 'ខ្មែរ', intl: ['km-KH'] },
  { code: 'lo', name: 'ລາວ', intl: ['lo-LA'] },
  { code: 'my', name: 'မြန်မာ', intl: ['my-MM'] },
  { code: 'ja', name: '日本語', intl: ['ja-JP'] },
  { code: 'ko', name: '한국어', intl: ['ko-KR'] },
  { code: 'ta', name: 'தமிழ்', intl: ['ta-SG', 'ta'] },
  { code: 'tet', name: 'Tetun', intl: ['tet', 'pt-TL', 'pt'] },
  { code: 'pt', name: 'Português', intl: ['pt-PT'] },
];

export const CODES = LANGUAGES.map((l) => l.code);

// Browser tags that name one of ours differently.
const ALIASES = { tl: 'fil', in: 'id', tdt: 'tet', zsm: 'ms', bur: 'my' };

/** The first of the browser's languages we speak, else English. */
export function pickLanguage(preferred = []) {
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split(/[-_]/)[0];
    const code = ALIASES[base] || base;
    if (CODES.includes(code)) return code;
  }
  return 'en';
}
