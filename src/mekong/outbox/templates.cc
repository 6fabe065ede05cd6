#include "mekong/outbox/templates.h"

#include <algorithm>

namespace mekong::outbox {

namespace {

// Kept in kind order, then the languages in domain.md's order. templates_test checks that
// every kind has all 15 and that each language's placeholders are the English ones.
constexpr Template kTemplates[] = {
    // A desk answered a citizen's hotline question.
    {"ticket_answered", "en", "Your question was answered",
     "The hotline answered your question “{subject}”. Open Mekong to read the answer."},
    {"ticket_answered", "zh", "您的问题已有答复",
     "热线已答复您的问题“{subject}”。请打开 Mekong 查看答复。"},
    {"ticket_answered", "vi", "Câu hỏi của bạn đã được trả lời",
     "Đường dây nóng đã trả lời câu hỏi “{subject}” của bạn. Mở Mekong để đọc câu trả lời."},
    {"ticket_answered", "th", "คำถามของคุณได้รับคำตอบแล้ว",
     "สายด่วนได้ตอบคำถาม “{subject}” ของคุณแล้ว เปิด Mekong เพื่ออ่านคำตอบ"},
    {"ticket_answered", "ms", "Soalan anda telah dijawab",
     "Talian hotline telah menjawab soalan anda “{subject}”. Buka Mekong untuk membaca "
     "jawapannya."},
    {"ticket_answered", "id", "Pertanyaan Anda sudah dijawab",
     "Hotline telah menjawab pertanyaan Anda “{subject}”. Buka Mekong untuk membaca jawabannya."},
    {"ticket_answered", "fil", "Nasagot na ang iyong tanong",
     "Sinagot ng hotline ang iyong tanong na “{subject}”. Buksan ang Mekong para basahin ang "
     "sagot."},
    {"ticket_answered", "km", "សំណួររបស់អ្នកត្រូវបានឆ្លើយហើយ",
     "ខ្សែទូរស័ព្ទបន្ទាន់បានឆ្លើយសំណួររបស់អ្នក “{subject}”។ សូមបើក Mekong ដើម្បីអានចម្លើយ។"},
    {"ticket_answered", "lo", "ຄຳຖາມຂອງທ່ານໄດ້ຮັບຄຳຕອບແລ້ວ",
     "ສາຍດ່ວນໄດ້ຕອບຄຳຖາມ “{subject}” ຂອງທ່ານແລ້ວ. ເປີດ Mekong ເພື່ອອ່ານຄຳຕອບ."},
    {"ticket_answered", "my", "သင့်မေးခွန်းကို ဖြေကြားပြီးပါပြီ",
     "အထူးဖုန်းလိုင်းက သင့်မေးခွန်း “{subject}” ကို ဖြေကြားပြီးပါပြီ။ အဖြေကိုဖတ်ရန် Mekong ကိုဖွင့်ပါ။"},
    {"ticket_answered", "ja", "ご質問に回答がありました",
     "ホットラインがご質問「{subject}」に回答しました。Mekong を開いて回答をご覧ください。"},
    {"ticket_answered", "ko", "문의에 답변이 등록되었습니다",
     "핫라인이 문의 “{subject}”에 답변했습니다. Mekong에서 답변을 확인하세요."},
    {"ticket_answered", "ta", "உங்கள் கேள்விக்குப் பதில் அளிக்கப்பட்டது",
     "உதவி எண் உங்கள் கேள்வி “{subject}”க்குப் பதிலளித்துள்ளது. பதிலைப் படிக்க Mekong-ஐத் "
     "திறக்கவும்."},
    {"ticket_answered", "tet", "Ita-nia pergunta hetan ona resposta",
     "Liña-direta responde ona ita-nia pergunta “{subject}”. Loke Mekong atu lee resposta."},
    {"ticket_answered", "pt", "A sua pergunta foi respondida",
     "A linha de apoio respondeu à sua pergunta “{subject}”. Abra o Mekong para ler a resposta."},

    // A desk closed a citizen's question, with its note.
    {"ticket_closed", "en", "Your question was closed",
     "The hotline closed your question “{subject}”: {note}"},
    {"ticket_closed", "zh", "您的问题已结案", "热线已关闭您的问题“{subject}”：{note}"},
    {"ticket_closed", "vi", "Câu hỏi của bạn đã được đóng",
     "Đường dây nóng đã đóng câu hỏi “{subject}” của bạn: {note}"},
    {"ticket_closed", "th", "คำถามของคุณถูกปิดแล้ว", "สายด่วนได้ปิดคำถาม “{subject}” ของคุณแล้ว: {note}"},
    {"ticket_closed", "ms", "Soalan anda telah ditutup",
     "Talian hotline telah menutup soalan anda “{subject}”: {note}"},
    {"ticket_closed", "id", "Pertanyaan Anda sudah ditutup",
     "Hotline telah menutup pertanyaan Anda “{subject}”: {note}"},
    {"ticket_closed", "fil", "Isinara na ang iyong tanong",
     "Isinara ng hotline ang iyong tanong na “{subject}”: {note}"},
    {"ticket_closed", "km", "សំណួររបស់អ្នកត្រូវបានបិទហើយ",
     "ខ្សែទូរស័ព្ទបន្ទាន់បានបិទសំណួររបស់អ្នក “{subject}”៖ {note}"},
    {"ticket_closed", "lo", "ຄຳຖາມຂອງທ່ານຖືກປິດແລ້ວ", "ສາຍດ່ວນໄດ້ປິດຄຳຖາມ “{subject}” ຂອງທ່ານແລ້ວ: {note}"},
    {"ticket_closed", "my", "သင့်မေးခွန်းကို ပိတ်လိုက်ပါပြီ",
     "အထူးဖုန်းလိုင်းက သင့်မေးခွန်း “{subject}” ကို ပိတ်လိုက်ပါပြီ- {note}"},
    {"ticket_closed", "ja", "ご質問への対応を完了しました",
     "ホットラインがご質問「{subject}」への対応を完了しました：{note}"},
    {"ticket_closed", "ko", "문의가 종료되었습니다",
     "핫라인이 문의 “{subject}”을(를) 종료했습니다: {note}"},
    {"ticket_closed", "ta", "உங்கள் கேள்வி முடிக்கப்பட்டது",
     "உதவி எண் உங்கள் கேள்வி “{subject}”ஐ முடித்துவிட்டது: {note}"},
    {"ticket_closed", "tet", "Ita-nia pergunta taka ona",
     "Liña-direta taka ona ita-nia pergunta “{subject}”: {note}"},
    {"ticket_closed", "pt", "A sua pergunta foi encerrada",
     "A linha de apoio encerrou a sua pergunta “{subject}”: {note}"},
};

}  // namespace

std::span<const Template> Templates() { return kTemplates; }

std::vector<std::string_view> Kinds() {
  std::vector<std::string_view> kinds;
  for (const auto& t : kTemplates)
    if (std::find(kinds.begin(), kinds.end(), t.kind) == kinds.end()) kinds.push_back(t.kind);
  return kinds;
}

namespace {

// Puts params in for {name}; a brace with no name closing it is kept as written.
Result<std::string> Fill(std::string_view text, const Params& params) {
  std::string out;
  out.reserve(text.size() + 64);
  for (size_t i = 0; i < text.size();) {
    size_t open = text.find('{', i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    size_t close = text.find('}', open);
    if (close == std::string_view::npos) {
      out.append(text.substr(open));
      break;
    }
    std::string_view name = text.substr(open + 1, close - open - 1);
    auto p = std::find_if(params.begin(), params.end(),
                          [&](const auto& kv) { return kv.first == name; });
    if (p == params.end())
      return Status::InvalidArgument("no value for {" + std::string(name) + "}", "params");
    out.append(p->second);
    i = close + 1;
  }
  return out;
}

}  // namespace

Result<Rendered> Render(std::string_view kind, std::string_view language, const Params& params) {
  for (const auto& t : kTemplates) {
    if (t.kind != kind || t.language != language) continue;
    Rendered r;
    ASSIGN_OR_RETURN(r.subject, Fill(t.subject, params));
    ASSIGN_OR_RETURN(r.text, Fill(t.text, params));
    return r;
  }
  return Status::InvalidArgument(
      "no template " + std::string(kind) + " in " + std::string(language), "kind");
}

}  // namespace mekong::outbox
