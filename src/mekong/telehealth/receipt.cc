// Receipt labels in the 15 languages of shared/reference/domain.md, and the page around them.
// Amounts and dates are written by ICU for the reader's language; Tetum, which ICU has no data
// for, uses Portuguese's (as the health-code sentences do, healthcode/messages.cc).
#include "mekong/telehealth/receipt.h"

#include <array>

#include "mekong/core/money.h"
#include "mekong/core/zone.h"

namespace mekong::telehealth {

namespace {

struct Labels {
  std::string_view code;
  std::string_view receipt, invoice, patient, issued, item, quantity, amount, total, rate, payments,
      date, refund, paid, due, cash, bank_transfer;
  std::string_view format_locale = {};  // for ICU when not `code`
};

constexpr Labels kLabels[] = {
    {"en", "Receipt", "Invoice", "Patient", "Issued", "Item", "Qty", "Amount", "Total",
     "Exchange rate", "Payments", "Date", "Refund", "Paid", "Balance due", "Cash", "Bank transfer"},
    {"zh", "收据", "发票", "患者", "开具日期", "项目", "数量", "金额", "合计", "汇率", "付款记录",
     "日期", "退款", "已付", "应付余额", "现金", "银行转账"},
    {"vi", "Biên lai", "Hóa đơn", "Bệnh nhân", "Ngày lập", "Nội dung", "SL", "Thành tiền",
     "Tổng cộng", "Tỷ giá", "Các khoản thanh toán", "Ngày", "Hoàn tiền", "Đã thanh toán",
     "Còn phải trả", "Tiền mặt", "Chuyển khoản"},
    {"th", "ใบเสร็จรับเงิน", "ใบแจ้งหนี้", "ผู้ป่วย", "วันที่ออก", "รายการ", "จำนวน", "จำนวนเงิน", "รวมทั้งสิ้น",
     "อัตราแลกเปลี่ยน", "การชำระเงิน", "วันที่", "คืนเงิน", "ชำระแล้ว", "ยอดค้างชำระ", "เงินสด",
     "โอนผ่านธนาคาร"},
    {"ms", "Resit", "Invois", "Pesakit", "Tarikh dikeluarkan", "Perkara", "Kuantiti", "Amaun",
     "Jumlah", "Kadar pertukaran", "Bayaran", "Tarikh", "Bayaran balik", "Dibayar",
     "Baki tertunggak", "Tunai", "Pindahan bank"},
    {"id", "Kuitansi", "Faktur", "Pasien", "Tanggal terbit", "Uraian", "Kuantitas", "Jumlah",
     "Total", "Kurs", "Pembayaran", "Tanggal", "Pengembalian dana", "Dibayar", "Sisa tagihan",
     "Tunai", "Transfer bank"},
    {"fil", "Resibo", "Invoice", "Pasyente", "Petsa ng pag-isyu", "Item", "Dami", "Halaga",
     "Kabuuan", "Palitan ng pera", "Mga bayad", "Petsa", "Refund", "Nabayaran",
     "Natitirang babayaran", "Cash", "Bank transfer"},
    {"km", "បង្កាន់ដៃ", "វិក្កយបត្រ", "អ្នកជំងឺ", "កាលបរិច្ឆេទចេញ", "បរិយាយ", "ចំនួន", "ទឹកប្រាក់", "សរុប",
     "អត្រាប្តូរប្រាក់", "ការទូទាត់", "កាលបរិច្ឆេទ", "ការសងប្រាក់វិញ", "បានបង់", "នៅសល់ត្រូវបង់", "សាច់ប្រាក់",
     "ផ្ទេរតាមធនាគារ"},
    {"lo", "ໃບຮັບເງິນ", "ໃບແຈ້ງໜີ້", "ຄົນເຈັບ", "ວັນທີອອກ", "ລາຍການ", "ຈຳນວນ", "ຈຳນວນເງິນ", "ລວມທັງໝົດ",
     "ອັດຕາແລກປ່ຽນ", "ການຊຳລະເງິນ", "ວັນທີ", "ຄືນເງິນ", "ຊຳລະແລ້ວ", "ຍອດຄ້າງຊຳລະ", "ເງິນສົດ", "ໂອນຜ່ານທະນາຄານ"},
    {"my", "ငွေလက်ခံဖြတ်ပိုင်း", "ငွေတောင်းခံလွှာ", "လူနာ", "ထုတ်ပေးသည့်ရက်", "အကြောင်းအရာ", "အရေအတွက်", "ပမာဏ",
     "စုစုပေါင်း", "ငွေလဲနှုန်း", "ငွေပေးချေမှုများ", "ရက်စွဲ", "ငွေပြန်အမ်း", "ပေးချေပြီး", "ပေးရန်ကျန်ငွေ", "ငွေသား",
     "ဘဏ်ငွေလွှဲ"},
    {"ja", "領収書", "請求書", "患者", "発行日", "項目", "数量", "金額", "合計", "為替レート",
     "お支払い", "日付", "返金", "お支払い済み", "未払い残高", "現金", "銀行振込"},
    {"ko", "영수증", "청구서", "환자", "발행일", "항목", "수량", "금액", "합계", "환율",
     "결제 내역", "날짜", "환불", "납부액", "미납 잔액", "현금", "계좌 이체"},
    {"ta", "ரசீது", "விலைப்பட்டியல்", "நோயாளி", "வழங்கிய தேதி", "விவரம்", "அளவு", "தொகை", "மொத்தம்",
     "மாற்று விகிதம்", "செலுத்தியவை", "தேதி", "பணத்திருப்பம்", "செலுத்தியது", "செலுத்த வேண்டிய மீதி", "ரொக்கம்",
     "வங்கிப் பரிமாற்றம்"},
    {"tet", "Resibu", "Fatura", "Pasiente", "Data emisaun", "Item", "Kuantidade", "Montante",
     "Totál", "Taxa kámbiu", "Pagamentu sira", "Data", "Reembolsu", "Selu ona", "Seidauk selu",
     "Osan", "Transferénsia bankária", "pt"},
    {"pt", "Recibo", "Fatura", "Paciente", "Data de emissão", "Descrição", "Qtd.", "Valor", "Total",
     "Taxa de câmbio", "Pagamentos", "Data", "Reembolso", "Pago", "Saldo em dívida", "Numerário",
     "Transferência bancária"},
};

const Labels& LabelsFor(std::string_view language) {
  for (const auto& l : kLabels) {
    if (l.code == language) return l;
  }
  return kLabels[0];
}

constexpr std::string_view kStyle =
    "body{font-family:system-ui,\"Noto Sans\",\"Noto Sans Khmer\",\"Noto Sans Lao\",\"Noto Sans "
    "Myanmar\",\"Noto Sans Thai\",\"Noto Sans Tamil\",\"Noto Sans CJK SC\",sans-serif;"
    "color:#111;background:#f2f2f2;margin:0;line-height:1.5}"
    "main{max-width:46rem;margin:1.5rem auto;background:#fff;padding:2rem}"
    "h1{font-size:1.6rem;margin:0}h2{font-size:1.1rem;margin:1.5rem 0 0}"
    ".issuer{font-weight:600;margin:0 0 1rem}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}"
    "dt{color:#444}dd{margin:0}"
    "table{width:100%;border-collapse:collapse;margin-top:.75rem}"
    "th,td{text-align:start;padding:.4rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}"
    ".num{text-align:end;white-space:nowrap;font-variant-numeric:tabular-nums}"
    "tfoot th,tfoot td{font-weight:700;border-top:2px solid #111;border-bottom:0}"
    ".note{color:#444;font-size:.9rem}.totals{margin-top:1rem}.totals dd{font-weight:700}"
    "@page{size:A4;margin:15mm}"
    "@media print{body{background:#fff}main{margin:0;padding:0;max-width:none}"
    "tr{break-inside:avoid}}";

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string_view ReceiptStyle() { return kStyle; }

Result<std::string> ReceiptHtml(const ReceiptInput& in) {
  const Invoice& v = in.invoice;
  if (v.status == InvoiceStatus::kDraft || v.status == InvoiceStatus::kCancelled) {
    return Status::FailedPrecondition("invoice " + std::to_string(v.id.value) + " is " +
                                          std::string(InvoiceStatusName(v.status)) +
                                          ": only an issued invoice has a receipt",
                                      "status");
  }
  if (in.payments.empty()) {
    return Status::FailedPrecondition(
        "nothing has been paid on invoice " + std::to_string(v.id.value), "status");
  }
  const Labels& l = LabelsFor(in.language);
  const std::string lang(l.code);
  const std::string locale(l.format_locale.empty() ? l.code : l.format_locale);
  auto money = [&](const Money& m) -> Result<std::string> {
    ASSIGN_OR_RETURN(std::string s, FormatCurrency(locale, m));
    return Escape(s);
  };

  std::string h;
  h += "<!doctype html>\n<html lang=\"" + lang + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>" + Escape(l.receipt) + " · " + Escape(l.invoice) + " " +
       std::to_string(v.id.value) + "</title>\n";
  h += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n<main>\n";
  h += "<h1>" + Escape(l.receipt) + "</h1>\n";
  h += "<p class=\"issuer\">" + Escape(in.hospital.name) + "</p>\n<dl>\n";
  h += "<dt>" + Escape(l.invoice) + "</dt><dd>" + std::to_string(v.id.value) + "</dd>\n";
  if (!in.patient_name.empty())
    h += "<dt>" + Escape(l.patient) + "</dt><dd>" + Escape(in.patient_name) + "</dd>\n";
  if (v.issued_at) {
    ASSIGN_OR_RETURN(std::string issued, FormatDate(in.zone, locale, *v.issued_at));
    h += "<dt>" + Escape(l.issued) + "</dt><dd>" + Escape(issued) + "</dd>\n";
  }
  h += "</dl>\n";

  // The lines in the hospital's currency and, when it differs, in the patient's.
  const bool converted = v.total.currency != v.source_total.currency;
  h += "<table>\n<thead><tr><th>" + Escape(l.item) + "</th><th class=\"num\">" +
       Escape(l.quantity) + "</th><th class=\"num\">" + Escape(l.amount) + " (" +
       Escape(v.source_total.currency) + ")</th>";
  if (converted)
    h += "<th class=\"num\">" + Escape(l.amount) + " (" + Escape(v.total.currency) + ")</th>";
  h += "</tr></thead>\n<tbody>\n";
  for (const auto& line : v.lines) {
    ASSIGN_OR_RETURN(std::string amount, money(line.amount));
    h += "<tr><td>" + Escape(line.description) + "</td><td class=\"num\">" +
         std::to_string(line.quantity) + "</td><td class=\"num\">" + amount + "</td>";
    if (converted) {
      ASSIGN_OR_RETURN(std::string share, money(line.converted));
      h += "<td class=\"num\">" + share + "</td>";
    }
    h += "</tr>\n";
  }
  ASSIGN_OR_RETURN(std::string source_total, money(v.source_total));
  h += "</tbody>\n<tfoot><tr><th>" + Escape(l.total) + "</th><td></td><td class=\"num\">" +
       source_total + "</td>";
  if (converted) {
    ASSIGN_OR_RETURN(std::string total, money(v.total));
    h += "<td class=\"num\">" + total + "</td>";
  }
  h += "</tr></tfoot>\n</table>\n";
  if (v.rate) {
    h += "<p class=\"note\">" + Escape(l.rate) + ": 1 " + Escape(v.rate->rate.from) + " = " +
         Escape(FormatRate(v.rate->rate)) + " " + Escape(v.rate->rate.to) + " (" +
         Escape(v.rate->source) + ", " + Escape(v.rate->as_of) + ")</p>\n";
  }

  h += "<h2>" + Escape(l.payments) + "</h2>\n<table>\n<thead><tr><th>" + Escape(l.date) +
       "</th><th></th><th class=\"num\">" + Escape(l.amount) + "</th></tr></thead>\n<tbody>\n";
  for (const auto& p : in.payments) {
    ASSIGN_OR_RETURN(std::string when, FormatDateTime(in.zone, locale, p.at));
    std::string what = p.method == "cash"            ? std::string(l.cash)
                       : p.method == "bank_transfer" ? std::string(l.bank_transfer)
                                                     : p.method;
    if (p.refund) what = std::string(l.refund) + " · " + what;
    Money signed_amount = p.amount;
    if (p.refund) signed_amount.minor = -signed_amount.minor;
    ASSIGN_OR_RETURN(std::string amount, money(signed_amount));
    h += "<tr><td>" + Escape(when) + "</td><td>" + Escape(what) + "<br><span class=\"note\">" +
         Escape(p.reference) + "</span></td><td class=\"num\">" + amount + "</td></tr>\n";
  }
  h += "</tbody>\n</table>\n";
  ASSIGN_OR_RETURN(Money due, SubtractMoney(v.total, v.paid));
  ASSIGN_OR_RETURN(std::string paid, money(v.paid));
  ASSIGN_OR_RETURN(std::string owed, money(due));
  h += "<dl class=\"totals\">\n<dt>" + Escape(l.paid) + "</dt><dd>" + paid + "</dd>\n<dt>" +
       Escape(l.due) + "</dt><dd>" + owed + "</dd>\n</dl>\n";
  h += "</main>\n</body>\n</html>\n";
  return h;
}

}  // namespace mekong::telehealth
