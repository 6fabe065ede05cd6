// The 15 languages' names for Khmer, Lao and Burmese readers (CLDR), which Chromium's trimmed
// ICU lacks: Intl.DisplayNames answers those readers in English (see i18n/fallback.js for the
// same gap in dates and region names). Only the hotline names languages, so they live here.
export const NAMES = {
  km: { en: 'អង់គ្លេស', zh: 'ចិន', vi: 'វៀតណាម', th: 'ថៃ', ms: 'ម៉ាឡេ', id: 'ឥណ្ឌូណេស៊ី', fil: 'ហ្វីលីពីន', km: 'ខ្មែរ', lo: 'ឡាវ', my: 'ភូមា', ja: 'ជប៉ុន', ko: 'កូរ៉េ', ta: 'តាមីល', tet: 'តេទុំ', pt: 'ព័រទុយហ្គាល់' },
  lo: { en: 'ອັງກິດ', zh: 'ຈີນ', vi: 'ຫວຽດນາມ', th: 'ໄທ', ms: 'ມາເລ', id: 'ອິນໂດເນເຊຍ', fil: 'ຟິລິປິໂນ', km: 'ຂະແມ', lo: 'ລາວ', my: 'ມຽນມາ', ja: 'ຍີ່ປຸ່ນ', ko: 'ເກົາຫຼີ', ta: 'ທາມິລ', tet: 'ເຕຕູມ', pt: 'ປອກຕຸຍກິສ' },
  my: { en: 'အင်္ဂလိပ်', zh: 'တရုတ်', vi: 'ဗီယက်နမ်', th: 'ထိုင်း', ms: 'မလေး', id: 'အင်ဒိုနီးရှား', fil: 'ဖိလစ်ပိုင်', km: 'ခမာ', lo: 'လာအို', my: 'မြန်မာ', ja: 'ဂျပန်', ko: 'ကိုရီးယား', ta: 'တမီးလ်', tet: 'တီတွမ်', pt: 'ပေါ်တူဂီ' },
};
