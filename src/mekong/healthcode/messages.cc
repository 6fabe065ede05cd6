// Reason sentences in the 15 languages of domain.md. A sentence is the rule's event and how the
// reason ends; {date} is the event's date, {end} and {test} the dates it ends and a test counts
// from, {param} minutes, degrees or an area's name.
//
// Dates are the reader's local dates in the reader's zone, written by ICU for the reader's
// language (core/zone.h FormatDate: "Dec 9, 2026", "9 thg 12, 2026", "2026年12月9日"), and a
// sentence with a date names the zone once, at its end, by its IANA id: "...; until Dec 9,
// 2026 (Asia/Ho_Chi_Minh)". Until issue 11 they were ISO dates (YYYY-MM-DD) so that checkpoint
// staff could read them across borders, but they were UTC dates, a day early for every event
// between midnight and 07:00 in Vietnam. Why not local ISO dates:
//  - the date must be the reader's day, and saying so needs words around it anyway;
//  - FormatDate always writes the month as a word or with its marker (never 9/12 or 12/9), so
//    a localised date cannot be misread by day and month order, which was ISO's real merit;
//  - staff across a border do not read the person's language: the API asks for the reader's
//    (Accept-Language, ?lang=), and machines read the RFC 3339 since/until/green_at beside each
//    sentence, which stay UTC;
//  - the zone is the IANA id, not a localised name, because it is the same in every language
//    and exact (Indonesia alone has three zones; "(UTC)" when the reader has no zone).
// Dates follow the locale's calendar and digits, as its readers write them: Thai years are
// Buddhist (2569), Burmese digits are Myanmar. ICU has no data for Tetum; Tetum's dates use
// Timor-Leste's other official language, Portuguese (whose month names Tetum borrows).
#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/zone.h"
#include "mekong/healthcode/health_code.h"

namespace mekong::healthcode {

namespace {

struct Language {
  std::string_view code;
  std::array<std::string_view, kRuleKinds> events;  // in RuleKind order
  // how it ends: a date; a date or a negative test sooner; a date and a negative test;
  // a release; a negative test
  std::array<std::string_view, 5> ends;
  std::string_view separator;
  std::string_view zone = " ({zone})";  // appended to a sentence that has a date
  std::string_view date_locale = {};    // for dates when not the reader's tag
};

constexpr Language kLanguages[] = {
    {"en",
     {"Confirmed case", "Positive test sampled {date}",
      "Close contact of a confirmed case, last exposure {date}",
      "Contact of a close contact, exposed {date}", "Contact at the third hop, exposed {date}",
      "Fever of {param} °C at a checkpoint on {date}", "Symptoms reported {date}",
      "Stay in high-risk area {param} on {date}", "Stay in medium-risk area {param} on {date}"},
     {"until {end}", "until {end}, or sooner with a negative test",
      "until {end} and a negative test sampled on or after {test}",
      "until released by the health authority", "until a negative test"},
     "; "},
    {"vi",
     {"Ca bệnh đã xác nhận", "Xét nghiệm dương tính, lấy mẫu ngày {date}",
      "Tiếp xúc gần với ca bệnh, lần tiếp xúc cuối ngày {date}",
      "Tiếp xúc với người tiếp xúc gần (F2), ngày {date}", "Tiếp xúc vòng ba (F3), ngày {date}",
      "Sốt {param} °C tại điểm kiểm soát ngày {date}", "Khai báo triệu chứng ngày {date}",
      "Lưu trú tại vùng nguy cơ cao {param} ngày {date}",
      "Lưu trú tại vùng nguy cơ trung bình {param} ngày {date}"},
     {"đến ngày {end}", "đến ngày {end}, hoặc sớm hơn nếu xét nghiệm âm tính",
      "đến ngày {end} và có xét nghiệm âm tính lấy mẫu từ ngày {test}",
      "cho đến khi cơ quan y tế cho phép kết thúc cách ly", "cho đến khi có xét nghiệm âm tính"},
     "; "},
    {"zh",
     {"确诊病例", "{date}采样检测阳性", "确诊病例的密切接触者，最后接触日期{date}",
      "密接的密接，接触日期{date}", "第三代接触者，接触日期{date}",
      "{date}在检查点测得发热{param}°C", "{date}报告症状", "{date}曾在高风险区{param}停留",
      "{date}曾在中风险区{param}停留"},
     {"至{end}", "至{end}，检测阴性可提前", "至{end}，且需{test}或之后采样的阴性检测结果",
      "直至卫生部门解除隔离", "直至检测结果为阴性"},
     "；",
     "（{zone}）"},
    {"th",
     {"ผู้ป่วยยืนยัน", "ผลตรวจเป็นบวก เก็บตัวอย่างวันที่ {date}", "ผู้สัมผัสใกล้ชิดผู้ป่วยยืนยัน สัมผัสครั้งล่าสุดวันที่ {date}",
      "ผู้สัมผัสของผู้สัมผัสใกล้ชิด สัมผัสวันที่ {date}", "ผู้สัมผัสลำดับที่สาม สัมผัสวันที่ {date}",
      "มีไข้ {param} °C ที่จุดตรวจ วันที่ {date}", "รายงานอาการวันที่ {date}",
      "อยู่ในพื้นที่เสี่ยงสูง {param} วันที่ {date}", "อยู่ในพื้นที่เสี่ยงปานกลาง {param} วันที่ {date}"},
     {"ถึงวันที่ {end}", "ถึงวันที่ {end} หรือเร็วกว่านั้นหากผลตรวจเป็นลบ",
      "ถึงวันที่ {end} และต้องมีผลตรวจเป็นลบที่เก็บตัวอย่างตั้งแต่วันที่ {test}", "จนกว่าหน่วยงานสาธารณสุขจะอนุญาต",
      "จนกว่าจะมีผลตรวจเป็นลบ"},
     "; "},
    {"ms",
     {"Kes disahkan", "Ujian positif, sampel diambil {date}",
      "Kontak rapat kes disahkan, pendedahan terakhir {date}",
      "Kontak kepada kontak rapat, terdedah {date}", "Kontak peringkat ketiga, terdedah {date}",
      "Demam {param} °C di pusat pemeriksaan pada {date}", "Gejala dilaporkan {date}",
      "Berada di kawasan berisiko tinggi {param} pada {date}",
      "Berada di kawasan berisiko sederhana {param} pada {date}"},
     {"sehingga {end}", "sehingga {end}, atau lebih awal dengan ujian negatif",
      "sehingga {end} dan ujian negatif dengan sampel pada atau selepas {test}",
      "sehingga dilepaskan oleh pihak berkuasa kesihatan", "sehingga ujian negatif"},
     "; "},
    {"id",
     {"Kasus terkonfirmasi", "Tes positif, sampel diambil {date}",
      "Kontak erat kasus terkonfirmasi, paparan terakhir {date}",
      "Kontak dari kontak erat, terpapar {date}", "Kontak tingkat ketiga, terpapar {date}",
      "Demam {param} °C di pos pemeriksaan pada {date}", "Gejala dilaporkan {date}",
      "Berada di zona risiko tinggi {param} pada {date}",
      "Berada di zona risiko sedang {param} pada {date}"},
     {"sampai {end}", "sampai {end}, atau lebih cepat dengan tes negatif",
      "sampai {end} dan tes negatif dengan sampel pada atau setelah {test}",
      "sampai dinyatakan selesai oleh otoritas kesehatan", "sampai ada tes negatif"},
     "; "},
    {"fil",
     {"Kumpirmadong kaso", "Positibong test, kinuha ang sample noong {date}",
      "Close contact ng kumpirmadong kaso, huling exposure noong {date}",
      "Contact ng isang close contact, na-expose noong {date}",
      "Contact sa ikatlong antas, na-expose noong {date}",
      "Lagnat na {param} °C sa checkpoint noong {date}", "Nag-ulat ng sintomas noong {date}",
      "Nanatili sa high-risk na lugar na {param} noong {date}",
      "Nanatili sa medium-risk na lugar na {param} noong {date}"},
     {"hanggang {end}", "hanggang {end}, o mas maaga kung negatibo ang test",
      "hanggang {end} at may negatibong test na kinuha noong o pagkatapos ng {test}",
      "hanggang payagan ng awtoridad pangkalusugan", "hanggang magkaroon ng negatibong test"},
     "; "},
    {"km",
     {"ករណីវិជ្ជមានដែលបានបញ្ជាក់", "តេស្តវិជ្ជមាន យកសំណាកនៅថ្ងៃ {date}",
      "អ្នកប៉ះពាល់ផ្ទាល់នឹងករណីវិជ្ជមាន ប៉ះពាល់ចុងក្រោយនៅថ្ងៃ {date}", "អ្នកប៉ះពាល់នឹងអ្នកប៉ះពាល់ផ្ទាល់ នៅថ្ងៃ {date}",
      "អ្នកប៉ះពាល់ជាន់ទីបី នៅថ្ងៃ {date}", "គ្រុនក្តៅ {param} °C នៅច្រកត្រួតពិនិត្យ ថ្ងៃ {date}",
      "បានរាយការណ៍រោគសញ្ញានៅថ្ងៃ {date}", "បានស្នាក់នៅតំបន់ហានិភ័យខ្ពស់ {param} ថ្ងៃ {date}",
      "បានស្នាក់នៅតំបន់ហានិភ័យមធ្យម {param} ថ្ងៃ {date}"},
     {"រហូតដល់ថ្ងៃ {end}", "រហូតដល់ថ្ងៃ {end} ឬលឿនជាងនេះ ប្រសិនបើតេស្តអវិជ្ជមាន",
      "រហូតដល់ថ្ងៃ {end} និងមានតេស្តអវិជ្ជមានដែលយកសំណាកចាប់ពីថ្ងៃ {test}", "រហូតដល់អាជ្ញាធរសុខាភិបាលអនុញ្ញាត",
      "រហូតដល់មានតេស្តអវិជ្ជមាន"},
     "; "},
    {"lo",
     {"ຜູ້ຕິດເຊື້ອທີ່ຢືນຢັນແລ້ວ", "ກວດພົບເຊື້ອ, ເກັບຕົວຢ່າງວັນທີ {date}", "ຜູ້ສຳຜັດໃກ້ຊິດກັບຜູ້ຕິດເຊື້ອ, ສຳຜັດຄັ້ງສຸດທ້າຍວັນທີ {date}",
      "ຜູ້ສຳຜັດກັບຜູ້ສຳຜັດໃກ້ຊິດ, ວັນທີ {date}", "ຜູ້ສຳຜັດລະດັບທີສາມ, ວັນທີ {date}",
      "ມີໄຂ້ {param} °C ທີ່ດ່ານກວດ ວັນທີ {date}", "ລາຍງານອາການວັນທີ {date}",
      "ພັກຢູ່ໃນເຂດສ່ຽງສູງ {param} ວັນທີ {date}", "ພັກຢູ່ໃນເຂດສ່ຽງປານກາງ {param} ວັນທີ {date}"},
     {"ຈົນເຖິງວັນທີ {end}", "ຈົນເຖິງວັນທີ {end}, ຫຼື ໄວກວ່ານັ້ນຖ້າກວດບໍ່ພົບເຊື້ອ",
      "ຈົນເຖິງວັນທີ {end} ແລະ ຕ້ອງກວດບໍ່ພົບເຊື້ອ ໂດຍເກັບຕົວຢ່າງແຕ່ວັນທີ {test}", "ຈົນກວ່າເຈົ້າໜ້າທີ່ສາທາລະນະສຸກອະນຸຍາດ",
      "ຈົນກວ່າຈະກວດບໍ່ພົບເຊື້ອ"},
     "; "},
    {"my",
     {"အတည်ပြုလူနာ", "ရောဂါပိုးတွေ့ရှိ၊ နမူနာယူသည့်ရက် {date}", "အတည်ပြုလူနာ၏ အနီးကပ်ထိတွေ့သူ၊ နောက်ဆုံးထိတွေ့သည့်ရက် {date}",
      "အနီးကပ်ထိတွေ့သူနှင့် ထိတွေ့သူ၊ ရက် {date}", "တတိယအဆင့် ထိတွေ့သူ၊ ရက် {date}",
      "စစ်ဆေးရေးဂိတ်တွင် ကိုယ်အပူချိန် {param} °C၊ ရက် {date}", "ရောဂါလက္ခဏာ တင်ပြသည့်ရက် {date}",
      "အန္တရာယ်မြင့် ဧရိယာ {param} တွင် နေထိုင်ခဲ့သည်၊ ရက် {date}",
      "အန္တရာယ်အလယ်အလတ် ဧရိယာ {param} တွင် နေထိုင်ခဲ့သည်၊ ရက် {date}"},
     {"{end} အထိ", "{end} အထိ သို့မဟုတ် ရောဂါပိုးမတွေ့ပါက စောနိုင်သည်",
      "{end} အထိ နှင့် {test} သို့မဟုတ် ၎င်းနောက် နမူနာယူသော ရောဂါပိုးမတွေ့ရလဒ် လိုအပ်သည်", "ကျန်းမာရေးဌာနမှ ခွင့်ပြုသည်အထိ",
      "ရောဂါပိုးမတွေ့ရလဒ် ရသည်အထိ"},
     "။ "},  // not "၊ ": Burmese dates contain it (၂၀၂၆၊ ဒီ ၉)
    {"ja",
     {"確定患者", "{date}採取の検体で陽性", "確定患者の濃厚接触者（最終接触日 {date}）",
      "濃厚接触者の接触者（接触日 {date}）", "三次接触者（接触日 {date}）",
      "{date}に検問所で{param}°Cの発熱", "{date}に症状を報告", "{date}に高リスク地域{param}に滞在",
      "{date}に中リスク地域{param}に滞在"},
     {"{end}まで", "{end}まで（陰性結果があればそれより早く解除）",
      "{end}まで、かつ{test}以降に採取した検体の陰性結果が必要", "保健当局が解除するまで",
      "陰性結果が出るまで"},
     "：",
     "（{zone}）"},
    {"ko",
     {"확진자", "{date} 채취 검체 양성", "확진자의 밀접접촉자, 마지막 접촉일 {date}",
      "밀접접촉자의 접촉자, 접촉일 {date}", "3차 접촉자, 접촉일 {date}",
      "{date} 검문소에서 {param}°C 발열", "{date} 증상 신고", "{date} 고위험 지역 {param} 체류",
      "{date} 중위험 지역 {param} 체류"},
     {"{end}까지", "{end}까지, 음성 결과 시 조기 해제",
      "{end}까지, 그리고 {test} 이후 채취한 검체의 음성 결과 필요", "보건 당국이 해제할 때까지",
      "음성 결과가 나올 때까지"},
     ": "},
    {"ta",
     {"உறுதிப்படுத்தப்பட்ட நோயாளி", "{date} அன்று எடுக்கப்பட்ட மாதிரியில் நேர்மறை பரிசோதனை முடிவு",
      "உறுதிப்படுத்தப்பட்ட நோயாளியின் நெருங்கிய தொடர்பாளர், கடைசித் தொடர்பு {date}",
      "நெருங்கிய தொடர்பாளரின் தொடர்பாளர், தொடர்பு {date}", "மூன்றாம் நிலைத் தொடர்பாளர், தொடர்பு {date}",
      "{date} அன்று சோதனைச் சாவடியில் {param} °C காய்ச்சல்", "{date} அன்று அறிகுறிகள் தெரிவிக்கப்பட்டன",
      "{date} அன்று அதிக ஆபத்துள்ள பகுதி {param}-இல் தங்கியிருந்தார்",
      "{date} அன்று நடுத்தர ஆபத்துள்ள பகுதி {param}-இல் தங்கியிருந்தார்"},
     {"{end} வரை", "{end} வரை, அல்லது எதிர்மறை பரிசோதனை முடிவு வந்தால் அதற்கு முன்பே",
      "{end} வரை, மேலும் {test} அன்றோ அதன் பின்னரோ எடுக்கப்பட்ட மாதிரியில் எதிர்மறை முடிவு தேவை",
      "சுகாதார அதிகாரிகள் விடுவிக்கும் வரை", "எதிர்மறை பரிசோதனை முடிவு வரும் வரை"},
     "; "},
    {"tet",
     {"Kazu konfirmadu", "Teste pozitivu, amostra foti iha loron {date}",
      "Kontaktu besik ho kazu konfirmadu, esposisaun ikus iha loron {date}",
      "Kontaktu ho kontaktu besik ida, esposisaun iha loron {date}",
      "Kontaktu nivel datoluk, esposisaun iha loron {date}",
      "Isin-manas {param} °C iha pontu kontrolu, loron {date}", "Relata sintoma iha loron {date}",
      "Hela iha área risku aas {param} iha loron {date}",
      "Hela iha área risku médiu {param} iha loron {date}"},
     {"to'o {end}", "to'o {end}, ka uluk liu se teste negativu",
      "to'o {end} no teste negativu ho amostra foti iha {test} ka depois",
      "to'o autoridade saúde fó autorizasaun atu remata izolamentu", "to'o iha teste negativu"},
     "; ",
     " ({zone})",
     "pt-TL"},
    {"pt",
     {"Caso confirmado", "Teste positivo, amostra colhida em {date}",
      "Contacto próximo de um caso confirmado, última exposição em {date}",
      "Contacto de um contacto próximo, exposição em {date}",
      "Contacto de terceiro nível, exposição em {date}",
      "Febre de {param} °C num posto de controlo em {date}", "Sintomas comunicados em {date}",
      "Permanência na zona de alto risco {param} em {date}",
      "Permanência na zona de risco médio {param} em {date}"},
     {"até {end}", "até {end}, ou antes com um teste negativo",
      "até {end} e um teste negativo com amostra colhida em ou após {test}",
      "até a autoridade de saúde levantar o isolamento", "até um teste negativo"},
     "; "},
};

constexpr std::string_view kCodes[] = {"en", "vi", "zh", "th", "ms", "id",  "fil", "km",
                                       "lo", "my", "ja", "ko", "ta", "tet", "pt"};

// "zh-Hans-CN" -> "zh".
std::string PrimaryLower(std::string_view tag) {
  std::string lower;
  for (char c : tag.substr(0, tag.find('-'))) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower;
}

// The catalogue's language for a tag; unknown -> English.
const Language& Find(std::string_view tag) {
  std::string lower = PrimaryLower(tag);
  if (lower == "tl") lower = "fil";  // Tagalog's code, often sent for Filipino
  for (const auto& l : kLanguages) {
    if (l.code == lower) return l;
  }
  return kLanguages[0];
}

void Replace(std::string& s, std::string_view key, const std::string& value) {
  for (size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size())) {
    s.replace(at, key.size(), value);
  }
}

}  // namespace

std::span<const std::string_view> SupportedLanguages() { return kCodes; }

std::vector<std::string_view> ReasonPhrases(std::string_view language) {
  const Language& l = Find(language);
  std::vector<std::string_view> out(l.events.begin(), l.events.end());
  out.insert(out.end(), l.ends.begin(), l.ends.end());
  return out;
}

std::string ReasonDetail(const Reason& r, const Reader& reader) {
  const Language& l = Find(reader.language);
  const std::string zone =
      reader.zone.empty() || !ValidateZone(reader.zone).ok() ? "UTC" : reader.zone;
  // The reader's own tag keeps their region's conventions (en-GB writes 9 Dec 2026); a tag the
  // catalogue answered in another language (unknown, or "tl" for Filipino) uses that language.
  const std::string locale = !l.date_locale.empty()                    ? std::string(l.date_locale)
                             : PrimaryLower(reader.language) == l.code ? reader.language
                                                                       : std::string(l.code);
  auto day = [&](int64_t ms) {
    auto text = FormatDate(zone, locale, ms);
    if (!text.ok()) text = FormatDate(zone, l.code, ms);  // a malformed region or script
    return text.ok() ? *text : *LocalDate("UTC", ms);
  };
  int end = 0;
  switch (r.clear) {
    case Clear::kPeriod:
      end = 0;
      break;
    case Clear::kPeriodOrNegativeTest:
      end = 1;
      break;
    case Clear::kPeriodAndNegativeTest:
      end = r.until ? 0 : 2;
      break;  // with the test in, only the date is left
    case Clear::kRelease:
      end = 3;
      break;
    case Clear::kNegativeTest:
      end = 4;
      break;
  }
  std::string s = std::string(l.events[static_cast<int>(r.rule)]) + std::string(l.separator) +
                  std::string(l.ends[end]);
  const bool dated = s.find("{date}") != std::string::npos ||
                     s.find("{end}") != std::string::npos || s.find("{test}") != std::string::npos;
  // A close contact's date is the last exposure; every other event's is when it began.
  Replace(s, "{date}", day(r.rule == RuleKind::kCloseContact ? r.event_end : r.since));
  Replace(s, "{end}", day(r.until.value_or(r.period_end)));
  Replace(s, "{test}", r.negative_test_from ? day(*r.negative_test_from) : "");
  Replace(s, "{param}", r.param);
  if (dated) {
    std::string suffix(l.zone);
    Replace(suffix, "{zone}", zone);
    s += suffix;
  }
  return s;
}

}  // namespace mekong::healthcode
