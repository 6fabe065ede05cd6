#include "mekong/outbox/templates.h"

#include <algorithm>

namespace mekong::outbox {

namespace {

// Grouped by kind, each in domain.md's order of languages. templates_test checks that
// every kind has all 15 and that each language's placeholders are the English ones.
constexpr Template kTemplates[] = {
    // A person's health code turned green (again).
    {"code_green", "en", "Your health code is green", "Your health code in Mekong is green again."},
    {"code_green", "zh", "您的健康码为绿码", "您在 Mekong 的健康码已恢复为绿码。"},
    {"code_green", "vi", "Mã sức khỏe của bạn là màu xanh",
     "Mã sức khỏe của bạn trong Mekong đã trở lại màu xanh."},
    {"code_green", "th", "รหัสสุขภาพของคุณเป็นสีเขียว", "รหัสสุขภาพของคุณใน Mekong กลับเป็นสีเขียวแล้ว"},
    {"code_green", "ms", "Kod kesihatan anda hijau",
     "Kod kesihatan anda dalam Mekong kembali hijau."},
    {"code_green", "id", "Kode kesehatan Anda hijau",
     "Kode kesehatan Anda di Mekong kembali hijau."},
    {"code_green", "fil", "Berde ang iyong health code",
     "Berde na muli ang iyong health code sa Mekong."},
    {"code_green", "km", "កូដសុខភាពរបស់អ្នកពណ៌បៃតង", "កូដសុខភាពរបស់អ្នកក្នុង Mekong បានត្រឡប់មកពណ៌បៃតងវិញហើយ។"},
    {"code_green", "lo", "ລະຫັດສຸຂະພາບຂອງທ່ານເປັນສີຂຽວ", "ລະຫັດສຸຂະພາບຂອງທ່ານໃນ Mekong ກັບມາເປັນສີຂຽວແລ້ວ."},
    {"code_green", "my", "သင့်ကျန်းမာရေးကုဒ် အစိမ်းရောင်ဖြစ်ပါသည်",
     "Mekong ရှိ သင့်ကျန်းမာရေးကုဒ်သည် အစိမ်းရောင် ပြန်ဖြစ်သွားပါပြီ။"},
    {"code_green", "ja", "健康コードは緑です", "Mekong の健康コードが緑に戻りました。"},
    {"code_green", "ko", "건강 코드가 녹색입니다", "Mekong의 건강 코드가 다시 녹색이 되었습니다."},
    {"code_green", "ta", "உங்கள் சுகாதாரக் குறியீடு பச்சை",
     "Mekong-இல் உங்கள் சுகாதாரக் குறியீடு மீண்டும் பச்சையாகியுள்ளது."},
    {"code_green", "tet", "Ita-nia kódigu saúde matak",
     "Ita-nia kódigu saúde iha Mekong sai matak fali ona."},
    {"code_green", "pt", "O seu código de saúde está verde",
     "O seu código de saúde no Mekong voltou a verde."},

    // A person's health code turned red (a case, a close contact, a positive test).
    {"code_red", "en", "Your health code is red",
     "Your health code in Mekong is now red. Stay at home and follow the health office's "
     "instructions; open Mekong to see why and when it changes."},
    {"code_red", "zh", "您的健康码为红码",
     "您在 Mekong 的健康码现为红码。请居家并遵从卫生部门的指示；打开 Mekong 查看原因及何时变更。"},
    {"code_red", "vi", "Mã sức khỏe của bạn là màu đỏ",
     "Mã sức khỏe của bạn trong Mekong hiện là màu đỏ. Hãy ở nhà và làm theo hướng dẫn của cơ quan "
     "y tế; mở Mekong để xem lý do và khi nào mã thay đổi."},
    {"code_red", "th", "รหัสสุขภาพของคุณเป็นสีแดง",
     "รหัสสุขภาพของคุณใน Mekong เป็นสีแดงแล้ว โปรดอยู่บ้านและปฏิบัติตามคำแนะนำของเจ้าหน้าที่สาธารณสุข เปิด Mekong "
     "เพื่อดูเหตุผลและเวลาที่จะเปลี่ยน"},
    {"code_red", "ms", "Kod kesihatan anda merah",
     "Kod kesihatan anda dalam Mekong kini merah. Kekal di rumah dan ikut arahan pejabat "
     "kesihatan; buka Mekong untuk melihat sebabnya dan bila ia berubah."},
    {"code_red", "id", "Kode kesehatan Anda merah",
     "Kode kesehatan Anda di Mekong sekarang merah. Tetaplah di rumah dan ikuti petunjuk dinas "
     "kesehatan; buka Mekong untuk melihat alasannya dan kapan berubah."},
    {"code_red", "fil", "Pula ang iyong health code",
     "Pula na ngayon ang iyong health code sa Mekong. Manatili sa bahay at sundin ang tagubilin ng "
     "tanggapang pangkalusugan; buksan ang Mekong para makita kung bakit at kailan ito magbabago."},
    {"code_red", "km", "កូដសុខភាពរបស់អ្នកពណ៌ក្រហម",
     "កូដសុខភាពរបស់អ្នកក្នុង Mekong ឥឡូវពណ៌ក្រហម។ សូមស្នាក់នៅផ្ទះ និងធ្វើតាមការណែនាំរបស់មន្ទីរសុខាភិបាល។ សូមបើក Mekong "
     "ដើម្បីមើលមូលហេតុ និងពេលដែលវាផ្លាស់ប្តូរ។"},
    {"code_red", "lo", "ລະຫັດສຸຂະພາບຂອງທ່ານເປັນສີແດງ",
     "ລະຫັດສຸຂະພາບຂອງທ່ານໃນ Mekong ຕອນນີ້ເປັນສີແດງ. ກະລຸນາຢູ່ເຮືອນ ແລະ ປະຕິບັດຕາມຄຳແນະນຳຂອງເຈົ້າໜ້າທີ່ສາທາລະນະສຸກ; "
     "ເປີດ Mekong ເພື່ອເບິ່ງເຫດຜົນ ແລະ ເວລາທີ່ມັນຈະປ່ຽນ."},
    {"code_red", "my", "သင့်ကျန်းမာရေးကုဒ် အနီရောင်ဖြစ်ပါသည်",
     "Mekong ရှိ သင့်ကျန်းမာရေးကုဒ်သည် ယခု အနီရောင်ဖြစ်ပါသည်။ အိမ်တွင်နေပြီး ကျန်းမာရေးဌာန၏ ညွှန်ကြားချက်များကို လိုက်နာပါ။ "
     "အကြောင်းရင်းနှင့် ပြောင်းလဲမည့်အချိန်ကို Mekong တွင် ကြည့်ပါ။"},
    {"code_red", "ja", "健康コードは赤です",
     "Mekong "
     "の健康コードが赤になりました。自宅にとどまり、保健所の指示に従ってください。理由と変わる時期"
     "は Mekong で確認できます。"},
    {"code_red", "ko", "건강 코드가 빨간색입니다",
     "Mekong의 건강 코드가 빨간색이 되었습니다. 집에 머무르며 보건소의 안내를 따르세요. 이유와 "
     "바뀌는 시점은 Mekong에서 확인하세요."},
    {"code_red", "ta", "உங்கள் சுகாதாரக் குறியீடு சிவப்பு",
     "Mekong-இல் உங்கள் சுகாதாரக் குறியீடு இப்போது சிவப்பு. வீட்டிலேயே இருந்து சுகாதார அலுவலகத்தின் "
     "வழிகாட்டுதல்களைப் பின்பற்றுங்கள்; காரணத்தையும் எப்போது மாறும் என்பதையும் Mekong-இல் பாருங்கள்."},
    {"code_red", "tet", "Ita-nia kódigu saúde mean",
     "Ita-nia kódigu saúde iha Mekong agora mean. Favor hela iha uma no tuir servisu saúde nia "
     "instrusaun; loke Mekong atu haree tanba saida no bainhira mak muda."},
    {"code_red", "pt", "O seu código de saúde está vermelho",
     "O seu código de saúde no Mekong está agora vermelho. Fique em casa e siga as instruções dos "
     "serviços de saúde; abra o Mekong para ver porquê e quando muda."},

    // A person's health code turned yellow (a contact of a contact, symptoms, a risk area).
    {"code_yellow", "en", "Your health code is yellow",
     "Your health code in Mekong is now yellow. Limit your movements and follow the health "
     "office's instructions; open Mekong to see why and when it changes."},
    {"code_yellow", "zh", "您的健康码为黄码",
     "您在 Mekong 的健康码现为黄码。请减少外出并遵从卫生部门的指示；打开 Mekong "
     "查看原因及何时变更。"},
    {"code_yellow", "vi", "Mã sức khỏe của bạn là màu vàng",
     "Mã sức khỏe của bạn trong Mekong hiện là màu vàng. Hãy hạn chế đi lại và làm theo hướng dẫn "
     "của cơ quan y tế; mở Mekong để xem lý do và khi nào mã thay đổi."},
    {"code_yellow", "th", "รหัสสุขภาพของคุณเป็นสีเหลือง",
     "รหัสสุขภาพของคุณใน Mekong เป็นสีเหลืองแล้ว โปรดลดการเดินทางและปฏิบัติตามคำแนะนำของเจ้าหน้าที่สาธารณสุข เปิด "
     "Mekong เพื่อดูเหตุผลและเวลาที่จะเปลี่ยน"},
    {"code_yellow", "ms", "Kod kesihatan anda kuning",
     "Kod kesihatan anda dalam Mekong kini kuning. Hadkan pergerakan anda dan ikut arahan pejabat "
     "kesihatan; buka Mekong untuk melihat sebabnya dan bila ia berubah."},
    {"code_yellow", "id", "Kode kesehatan Anda kuning",
     "Kode kesehatan Anda di Mekong sekarang kuning. Batasi perjalanan Anda dan ikuti petunjuk "
     "dinas kesehatan; buka Mekong untuk melihat alasannya dan kapan berubah."},
    {"code_yellow", "fil", "Dilaw ang iyong health code",
     "Dilaw na ngayon ang iyong health code sa Mekong. Limitahan ang iyong paglabas at sundin ang "
     "tagubilin ng tanggapang pangkalusugan; buksan ang Mekong para makita kung bakit at kailan "
     "ito magbabago."},
    {"code_yellow", "km", "កូដសុខភាពរបស់អ្នកពណ៌លឿង",
     "កូដសុខភាពរបស់អ្នកក្នុង Mekong ឥឡូវពណ៌លឿង។ សូមកាត់បន្ថយការធ្វើដំណើរ និងធ្វើតាមការណែនាំរបស់មន្ទីរសុខាភិបាល។ សូមបើក "
     "Mekong ដើម្បីមើលមូលហេតុ និងពេលដែលវាផ្លាស់ប្តូរ។"},
    {"code_yellow", "lo", "ລະຫັດສຸຂະພາບຂອງທ່ານເປັນສີເຫຼືອງ",
     "ລະຫັດສຸຂະພາບຂອງທ່ານໃນ Mekong ຕອນນີ້ເປັນສີເຫຼືອງ. ກະລຸນາຈຳກັດການເດີນທາງ ແລະ "
     "ປະຕິບັດຕາມຄຳແນະນຳຂອງເຈົ້າໜ້າທີ່ສາທາລະນະສຸກ; ເປີດ Mekong ເພື່ອເບິ່ງເຫດຜົນ ແລະ ເວລາທີ່ມັນຈະປ່ຽນ."},
    {"code_yellow", "my", "သင့်ကျန်းမာရေးကုဒ် အဝါရောင်ဖြစ်ပါသည်",
     "Mekong ရှိ သင့်ကျန်းမာရေးကုဒ်သည် ယခု အဝါရောင်ဖြစ်ပါသည်။ သွားလာမှုကို လျှော့ချပြီး ကျန်းမာရေးဌာန၏ ညွှန်ကြားချက်များကို "
     "လိုက်နာပါ။ အကြောင်းရင်းနှင့် ပြောင်းလဲမည့်အချိန်ကို Mekong တွင် ကြည့်ပါ။"},
    {"code_yellow", "ja", "健康コードは黄色です",
     "Mekong "
     "の健康コードが黄色になりました。外出を控え、保健所の指示に従ってください。理由と変わる時期は "
     "Mekong で確認できます。"},
    {"code_yellow", "ko", "건강 코드가 노란색입니다",
     "Mekong의 건강 코드가 노란색이 되었습니다. 이동을 줄이고 보건소의 안내를 따르세요. 이유와 "
     "바뀌는 시점은 Mekong에서 확인하세요."},
    {"code_yellow", "ta", "உங்கள் சுகாதாரக் குறியீடு மஞ்சள்",
     "Mekong-இல் உங்கள் சுகாதாரக் குறியீடு இப்போது மஞ்சள். நடமாட்டத்தைக் குறைத்து சுகாதார அலுவலகத்தின் "
     "வழிகாட்டுதல்களைப் பின்பற்றுங்கள்; காரணத்தையும் எப்போது மாறும் என்பதையும் Mekong-இல் பாருங்கள்."},
    {"code_yellow", "tet", "Ita-nia kódigu saúde kinur",
     "Ita-nia kódigu saúde iha Mekong agora kinur. Limita ita-nia movimentu no tuir servisu saúde "
     "nia instrusaun; loke Mekong atu haree tanba saida no bainhira mak muda."},
    {"code_yellow", "pt", "O seu código de saúde está amarelo",
     "O seu código de saúde no Mekong está agora amarelo. Limite as suas deslocações e siga as "
     "instruções dos serviços de saúde; abra o Mekong para ver porquê e quando muda."},

    // A remote consultation booked for the patient.
    {"appointment_booked", "en", "Your consultation is booked",
     "Your remote consultation with {expert} ({hospital}) is booked for {when}. You will find it, "
     "and the link to join, under “My consultations” in Mekong."},
    {"appointment_booked", "zh", "您的会诊已预约",
     "您与{expert}（{hospital}）的远程会诊已预约在{when}。您可以在 Mekong "
     "的“我的会诊”中找到它和加入链接。"},
    {"appointment_booked", "vi", "Đã đặt lịch tư vấn của bạn",
     "Buổi tư vấn từ xa của bạn với {expert} ({hospital}) đã được đặt vào {when}. Bạn sẽ thấy lịch "
     "và đường dẫn tham gia trong mục “Lịch khám của tôi” trên Mekong."},
    {"appointment_booked", "th", "จองการปรึกษาของคุณแล้ว",
     "การปรึกษาทางไกลของคุณกับ {expert} ({hospital}) ได้รับการจองสำหรับ {when} "
     "คุณจะพบรายการนี้และลิงก์เข้าร่วมได้ที่ “การปรึกษาของฉัน” ใน Mekong"},
    {"appointment_booked", "ms", "Konsultasi anda telah ditempah",
     "Konsultasi jarak jauh anda dengan {expert} ({hospital}) telah ditempah pada {when}. Anda "
     "boleh melihatnya, serta pautan untuk menyertai, di bawah “Konsultasi saya” dalam Mekong."},
    {"appointment_booked", "id", "Konsultasi Anda sudah dipesan",
     "Konsultasi jarak jauh Anda dengan {expert} ({hospital}) sudah dipesan untuk {when}. Anda "
     "dapat melihatnya, beserta tautan untuk bergabung, di “Konsultasi saya” di Mekong."},
    {"appointment_booked", "fil", "Naka-book na ang iyong konsultasyon",
     "Naka-book na ang iyong remote na konsultasyon kay {expert} ({hospital}) sa {when}. Makikita "
     "mo ito, at ang link para sumali, sa “Aking mga konsultasyon” sa Mekong."},
    {"appointment_booked", "km", "ការពិគ្រោះរបស់អ្នកត្រូវបានកក់ហើយ",
     "ការពិគ្រោះពីចម្ងាយរបស់អ្នកជាមួយ {expert} ({hospital}) ត្រូវបានកក់សម្រាប់ {when}។ អ្នកនឹងឃើញវា "
     "និងតំណភ្ជាប់ដើម្បីចូលរួម នៅក្នុង “ការពិគ្រោះរបស់ខ្ញុំ” ក្នុង Mekong។"},
    {"appointment_booked", "lo", "ຈອງການປຶກສາຂອງທ່ານແລ້ວ",
     "ການປຶກສາທາງໄກຂອງທ່ານກັບ {expert} ({hospital}) ໄດ້ຈອງໄວ້ສຳລັບ {when}. ທ່ານຈະເຫັນມັນ ແລະ ລິ້ງເພື່ອເຂົ້າຮ່ວມ "
     "ຢູ່ໃນ “ການປຶກສາຂອງຂ້ອຍ” ໃນ Mekong."},
    {"appointment_booked", "my", "သင့်ဆွေးနွေးမှုကို ကြိုတင်စာရင်းသွင်းပြီးပါပြီ",
     "{expert} ({hospital}) နှင့် သင့်အဝေးမှ ဆွေးနွေးမှုကို {when} အတွက် ကြိုတင်စာရင်းသွင်းပြီးပါပြီ။ Mekong ရှိ “ကျွန်ုပ်၏ "
     "ဆွေးနွေးမှုများ” တွင် ၎င်းနှင့် ဝင်ရောက်ရန် လင့်ခ်ကို တွေ့နိုင်ပါသည်။"},
    {"appointment_booked", "ja", "診察の予約が完了しました",
     "{expert}（{hospital}）とのオンライン診察を{when}に予約しました。Mekong "
     "の「自分の診察」で予約と参加用リンクを確認できます。"},
    {"appointment_booked", "ko", "진료가 예약되었습니다",
     "{expert}({hospital})와의 원격 진료가 {when}(으)로 예약되었습니다. Mekong의 ‘내 진료’에서 "
     "예약과 참여 링크를 확인할 수 있습니다."},
    {"appointment_booked", "ta", "உங்கள் ஆலோசனை முன்பதிவு செய்யப்பட்டது",
     "{expert} ({hospital}) உடனான உங்கள் தொலை ஆலோசனை {when} அன்று முன்பதிவு செய்யப்பட்டுள்ளது. Mekong-இல் "
     "“என் ஆலோசனைகள்” பகுதியில் அதையும் இணைவதற்கான இணைப்பையும் காணலாம்."},
    {"appointment_booked", "tet", "Ita-nia konsulta rezerva ona",
     "Ita-nia konsulta remota ho {expert} ({hospital}) rezerva ona ba {when}. Ita bele haree nia, "
     "no ligasaun atu tama, iha “Ha'u-nia konsulta sira” iha Mekong."},
    {"appointment_booked", "pt", "A sua consulta está marcada",
     "A sua consulta à distância com {expert} ({hospital}) está marcada para {when}. Encontra-a, "
     "com a ligação para entrar, em “As minhas consultas” no Mekong."},

    // The patient's consultation cancelled, by them or by the hospital.
    {"appointment_cancelled", "en", "Your consultation is cancelled",
     "Your remote consultation with {expert} ({hospital}) on {when} is cancelled: {reason}"},
    {"appointment_cancelled", "zh", "您的会诊已取消",
     "您与{expert}（{hospital}）在{when}的远程会诊已取消：{reason}"},
    {"appointment_cancelled", "vi", "Buổi tư vấn của bạn đã bị hủy",
     "Buổi tư vấn từ xa của bạn với {expert} ({hospital}) vào {when} đã bị hủy: {reason}"},
    {"appointment_cancelled", "th", "การปรึกษาของคุณถูกยกเลิก",
     "การปรึกษาทางไกลของคุณกับ {expert} ({hospital}) เมื่อ {when} ถูกยกเลิกแล้ว: {reason}"},
    {"appointment_cancelled", "ms", "Konsultasi anda dibatalkan",
     "Konsultasi jarak jauh anda dengan {expert} ({hospital}) pada {when} telah dibatalkan: "
     "{reason}"},
    {"appointment_cancelled", "id", "Konsultasi Anda dibatalkan",
     "Konsultasi jarak jauh Anda dengan {expert} ({hospital}) pada {when} dibatalkan: {reason}"},
    {"appointment_cancelled", "fil", "Kinansela ang iyong konsultasyon",
     "Kinansela ang iyong remote na konsultasyon kay {expert} ({hospital}) sa {when}: {reason}"},
    {"appointment_cancelled", "km", "ការពិគ្រោះរបស់អ្នកត្រូវបានលុបចោល",
     "ការពិគ្រោះពីចម្ងាយរបស់អ្នកជាមួយ {expert} ({hospital}) នៅ {when} ត្រូវបានលុបចោល៖ {reason}"},
    {"appointment_cancelled", "lo", "ການປຶກສາຂອງທ່ານຖືກຍົກເລີກ",
     "ການປຶກສາທາງໄກຂອງທ່ານກັບ {expert} ({hospital}) ໃນ {when} ຖືກຍົກເລີກແລ້ວ: {reason}"},
    {"appointment_cancelled", "my", "သင့်ဆွေးနွေးမှုကို ပယ်ဖျက်လိုက်ပါပြီ",
     "{when} တွင် {expert} ({hospital}) နှင့် သင့်အဝေးမှ ဆွေးနွေးမှုကို ပယ်ဖျက်လိုက်ပါပြီ- {reason}"},
    {"appointment_cancelled", "ja", "診察はキャンセルされました",
     "{when}の{expert}（{hospital}）とのオンライン診察はキャンセルされました：{reason}"},
    {"appointment_cancelled", "ko", "진료가 취소되었습니다",
     "{when} {expert}({hospital})와의 원격 진료가 취소되었습니다: {reason}"},
    {"appointment_cancelled", "ta", "உங்கள் ஆலோசனை ரத்து செய்யப்பட்டது",
     "{when} அன்று {expert} ({hospital}) உடனான உங்கள் தொலை ஆலோசனை ரத்து செய்யப்பட்டது: {reason}"},
    {"appointment_cancelled", "tet", "Ita-nia konsulta kansela ona",
     "Ita-nia konsulta remota ho {expert} ({hospital}) iha {when} kansela ona: {reason}"},
    {"appointment_cancelled", "pt", "A sua consulta foi cancelada",
     "A sua consulta à distância com {expert} ({hospital}) de {when} foi cancelada: {reason}"},

    // Before a booked consultation (a day before, or an hour when booked later).
    {"appointment_reminder", "en", "Reminder: your consultation",
     "Your remote consultation with {expert} ({hospital}) is at {when}. Open “My consultations” in "
     "Mekong a few minutes before to join."},
    {"appointment_reminder", "zh", "提醒：您的会诊",
     "您与{expert}（{hospital}）的远程会诊在{when}。请提前几分钟打开 Mekong 的“我的会诊”加入。"},
    {"appointment_reminder", "vi", "Nhắc lịch: buổi tư vấn của bạn",
     "Buổi tư vấn từ xa của bạn với {expert} ({hospital}) vào {when}. Hãy mở “Lịch khám của tôi” "
     "trên Mekong trước vài phút để tham gia."},
    {"appointment_reminder", "th", "แจ้งเตือน: การปรึกษาของคุณ",
     "การปรึกษาทางไกลของคุณกับ {expert} ({hospital}) คือ {when} โปรดเปิด “การปรึกษาของฉัน” ใน Mekong "
     "ก่อนเวลาสองสามนาทีเพื่อเข้าร่วม"},
    {"appointment_reminder", "ms", "Peringatan: konsultasi anda",
     "Konsultasi jarak jauh anda dengan {expert} ({hospital}) adalah pada {when}. Buka “Konsultasi "
     "saya” dalam Mekong beberapa minit lebih awal untuk menyertai."},
    {"appointment_reminder", "id", "Pengingat: konsultasi Anda",
     "Konsultasi jarak jauh Anda dengan {expert} ({hospital}) pada {when}. Buka “Konsultasi saya” "
     "di Mekong beberapa menit sebelumnya untuk bergabung."},
    {"appointment_reminder", "fil", "Paalala: ang iyong konsultasyon",
     "Ang iyong remote na konsultasyon kay {expert} ({hospital}) ay sa {when}. Buksan ang “Aking "
     "mga konsultasyon” sa Mekong ilang minuto bago nito para sumali."},
    {"appointment_reminder", "km", "ការរំលឹក៖ ការពិគ្រោះរបស់អ្នក",
     "ការពិគ្រោះពីចម្ងាយរបស់អ្នកជាមួយ {expert} ({hospital}) គឺនៅ {when}។ សូមបើក “ការពិគ្រោះរបស់ខ្ញុំ” ក្នុង Mekong "
     "មុនពីរបីនាទី ដើម្បីចូលរួម។"},
    {"appointment_reminder", "lo", "ແຈ້ງເຕືອນ: ການປຶກສາຂອງທ່ານ",
     "ການປຶກສາທາງໄກຂອງທ່ານກັບ {expert} ({hospital}) ແມ່ນ {when}. ກະລຸນາເປີດ “ການປຶກສາຂອງຂ້ອຍ” ໃນ Mekong "
     "ກ່ອນສອງສາມນາທີເພື່ອເຂົ້າຮ່ວມ."},
    {"appointment_reminder", "my", "သတိပေးချက်- သင့်ဆွေးနွေးမှု",
     "{expert} ({hospital}) နှင့် သင့်အဝေးမှ ဆွေးနွေးမှုသည် {when} တွင် ဖြစ်ပါသည်။ ဝင်ရောက်ရန် မိနစ်အနည်းငယ်စောပြီး "
     "Mekong ရှိ “ကျွန်ုပ်၏ ဆွေးနွေးမှုများ” ကို ဖွင့်ပါ။"},
    {"appointment_reminder", "ja", "リマインダー：診察の予定",
     "{expert}（{hospital}）とのオンライン診察は{when}です。数分前に Mekong "
     "の「自分の診察」を開いて参加してください。"},
    {"appointment_reminder", "ko", "알림: 진료 일정",
     "{expert}({hospital})와의 원격 진료는 {when}입니다. 몇 분 전에 Mekong의 ‘내 진료’를 열어 "
     "참여하세요."},
    {"appointment_reminder", "ta", "நினைவூட்டல்: உங்கள் ஆலோசனை",
     "{expert} ({hospital}) உடனான உங்கள் தொலை ஆலோசனை {when} அன்று. இணைய சில நிமிடங்கள் முன்பே Mekong-இல் "
     "“என் ஆலோசனைகள்” பகுதியைத் திறக்கவும்."},
    {"appointment_reminder", "tet", "Hanoin-fali: ita-nia konsulta",
     "Ita-nia konsulta remota ho {expert} ({hospital}) iha {when}. Loke “Ha'u-nia konsulta sira” "
     "iha Mekong minutu balun molok atu tama."},
    {"appointment_reminder", "pt", "Lembrete: a sua consulta",
     "A sua consulta à distância com {expert} ({hospital}) é a {when}. Abra “As minhas consultas” "
     "no Mekong uns minutos antes para entrar."},

    // The patient's consultation moved to another time.
    {"appointment_rescheduled", "en", "Your consultation has moved",
     "Your remote consultation with {expert} ({hospital}) has moved to {when}."},
    {"appointment_rescheduled", "zh", "您的会诊时间已更改",
     "您与{expert}（{hospital}）的远程会诊已改到{when}。"},
    {"appointment_rescheduled", "vi", "Buổi tư vấn của bạn đã đổi lịch",
     "Buổi tư vấn từ xa của bạn với {expert} ({hospital}) đã được chuyển sang {when}."},
    {"appointment_rescheduled", "th", "การปรึกษาของคุณเปลี่ยนเวลาแล้ว",
     "การปรึกษาทางไกลของคุณกับ {expert} ({hospital}) ย้ายไปเป็น {when} แล้ว"},
    {"appointment_rescheduled", "ms", "Konsultasi anda telah dipindahkan",
     "Konsultasi jarak jauh anda dengan {expert} ({hospital}) telah dipindahkan ke {when}."},
    {"appointment_rescheduled", "id", "Jadwal konsultasi Anda berubah",
     "Konsultasi jarak jauh Anda dengan {expert} ({hospital}) dipindahkan ke {when}."},
    {"appointment_rescheduled", "fil", "Inilipat ang iyong konsultasyon",
     "Inilipat sa {when} ang iyong remote na konsultasyon kay {expert} ({hospital})."},
    {"appointment_rescheduled", "km", "ការពិគ្រោះរបស់អ្នកត្រូវបានប្តូរពេល",
     "ការពិគ្រោះពីចម្ងាយរបស់អ្នកជាមួយ {expert} ({hospital}) ត្រូវបានប្តូរទៅ {when}។"},
    {"appointment_rescheduled", "lo", "ການປຶກສາຂອງທ່ານຖືກປ່ຽນເວລາ",
     "ການປຶກສາທາງໄກຂອງທ່ານກັບ {expert} ({hospital}) ຖືກຍ້າຍໄປເປັນ {when}."},
    {"appointment_rescheduled", "my", "သင့်ဆွေးနွေးမှု အချိန်ပြောင်းသွားပါပြီ",
     "{expert} ({hospital}) နှင့် သင့်အဝေးမှ ဆွေးနွေးမှုကို {when} သို့ ပြောင်းလိုက်ပါပြီ။"},
    {"appointment_rescheduled", "ja", "診察の日時が変更されました",
     "{expert}（{hospital}）とのオンライン診察は{when}に変更されました。"},
    {"appointment_rescheduled", "ko", "진료 일정이 변경되었습니다",
     "{expert}({hospital})와의 원격 진료가 {when}(으)로 변경되었습니다."},
    {"appointment_rescheduled", "ta", "உங்கள் ஆலோசனை நேரம் மாற்றப்பட்டது",
     "{expert} ({hospital}) உடனான உங்கள் தொலை ஆலோசனை {when} க்கு மாற்றப்பட்டது."},
    {"appointment_rescheduled", "tet", "Ita-nia konsulta muda ona",
     "Ita-nia konsulta remota ho {expert} ({hospital}) muda ona ba {when}."},
    {"appointment_rescheduled", "pt", "A sua consulta mudou de hora",
     "A sua consulta à distância com {expert} ({hospital}) passou para {when}."},

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

    // A test booked at a test site (by the person or for them).
    {"test_booked", "en", "Your test is booked",
     "Your test at {site} is booked for {when}. Bring an identity document; your booking is under "
     "“My tests” in Mekong."},
    {"test_booked", "zh", "您的检测已预约",
     "您在{site}的检测已预约在{when}。请携带身份证件；预约可在 Mekong 的“我的检测”中查看。"},
    {"test_booked", "vi", "Đã đặt lịch xét nghiệm của bạn",
     "Lịch xét nghiệm của bạn tại {site} đã được đặt vào {when}. Hãy mang theo giấy tờ tùy thân; "
     "lịch hẹn có trong mục “Xét nghiệm của tôi” trên Mekong."},
    {"test_booked", "th", "จองการตรวจของคุณแล้ว",
     "การตรวจของคุณที่ {site} ได้รับการจองสำหรับ {when} โปรดนำเอกสารแสดงตัวตนมาด้วย ดูการจองได้ที่ "
     "“การตรวจของฉัน” ใน Mekong"},
    {"test_booked", "ms", "Ujian anda telah ditempah",
     "Ujian anda di {site} telah ditempah pada {when}. Bawa dokumen pengenalan diri; tempahan anda "
     "ada di bawah “Ujian saya” dalam Mekong."},
    {"test_booked", "id", "Tes Anda sudah dipesan",
     "Tes Anda di {site} sudah dipesan untuk {when}. Bawalah dokumen identitas; pesanan Anda ada "
     "di “Tes saya” di Mekong."},
    {"test_booked", "fil", "Naka-book na ang iyong test",
     "Naka-book na ang iyong test sa {site} sa {when}. Magdala ng dokumento ng pagkakakilanlan; "
     "nasa “Aking mga test” sa Mekong ang iyong booking."},
    {"test_booked", "km", "តេស្តរបស់អ្នកត្រូវបានកក់ហើយ",
     "តេស្តរបស់អ្នកនៅ {site} ត្រូវបានកក់សម្រាប់ {when}។ សូមយកឯកសារអត្តសញ្ញាណមកជាមួយ។ ការកក់របស់អ្នកមាននៅក្នុង "
     "“ការធ្វើតេស្តរបស់ខ្ញុំ” ក្នុង Mekong។"},
    {"test_booked", "lo", "ຈອງການກວດຂອງທ່ານແລ້ວ",
     "ການກວດຂອງທ່ານທີ່ {site} ໄດ້ຈອງໄວ້ສຳລັບ {when}. ກະລຸນານຳເອກະສານຢັ້ງຢືນຕົວຕົນມານຳ; ການຈອງຂອງທ່ານຢູ່ໃນ "
     "“ການກວດຂອງຂ້ອຍ” ໃນ Mekong."},
    {"test_booked", "my", "သင့်စစ်ဆေးမှုကို ကြိုတင်စာရင်းသွင်းပြီးပါပြီ",
     "{site} တွင် သင့်စစ်ဆေးမှုကို {when} အတွက် ကြိုတင်စာရင်းသွင်းပြီးပါပြီ။ သက်သေခံကတ်ပြား ယူလာပါ။ သင့်စာရင်းသွင်းမှုကို Mekong ရှိ "
     "“ကျွန်ုပ်၏ စစ်ဆေးမှုများ” တွင် ကြည့်နိုင်ပါသည်။"},
    {"test_booked", "ja", "検査の予約が完了しました",
     "{site}での検査を{when}に予約しました。本人確認書類をお持ちください。予約は Mekong "
     "の「自分の検査」で確認できます。"},
    {"test_booked", "ko", "검사가 예약되었습니다",
     "{site}에서의 검사가 {when}(으)로 예약되었습니다. 신분증을 지참하세요. 예약은 Mekong의 ‘내 "
     "검사’에서 확인할 수 있습니다."},
    {"test_booked", "ta", "உங்கள் பரிசோதனை முன்பதிவு செய்யப்பட்டது",
     "{site} இல் உங்கள் பரிசோதனை {when} அன்று முன்பதிவு செய்யப்பட்டுள்ளது. அடையாள ஆவணத்தைக் கொண்டு வாருங்கள்; "
     "உங்கள் முன்பதிவு Mekong-இல் “எனது பரிசோதனைகள்” பகுதியில் உள்ளது."},
    {"test_booked", "tet", "Ita-nia teste rezerva ona",
     "Ita-nia teste iha {site} rezerva ona ba {when}. Lori dokumentu identidade; ita-nia rezerva "
     "iha “Ha'u-nia teste sira” iha Mekong."},
    {"test_booked", "pt", "O seu teste está marcado",
     "O seu teste em {site} está marcado para {when}. Traga um documento de identificação; a "
     "marcação está em “Os meus testes” no Mekong."},

    // A test booking cancelled.
    {"test_cancelled", "en", "Your test booking is cancelled",
     "Your test at {site} on {when} is cancelled. You can book another in Mekong."},
    {"test_cancelled", "zh", "您的检测预约已取消",
     "您在{site}于{when}的检测已取消。您可以在 Mekong 重新预约。"},
    {"test_cancelled", "vi", "Lịch xét nghiệm của bạn đã bị hủy",
     "Lịch xét nghiệm của bạn tại {site} vào {when} đã bị hủy. Bạn có thể đặt lịch khác trên "
     "Mekong."},
    {"test_cancelled", "th", "การจองตรวจของคุณถูกยกเลิก",
     "การตรวจของคุณที่ {site} เมื่อ {when} ถูกยกเลิกแล้ว คุณสามารถจองใหม่ได้ใน Mekong"},
    {"test_cancelled", "ms", "Tempahan ujian anda dibatalkan",
     "Ujian anda di {site} pada {when} telah dibatalkan. Anda boleh menempah yang lain dalam "
     "Mekong."},
    {"test_cancelled", "id", "Pesanan tes Anda dibatalkan",
     "Tes Anda di {site} pada {when} dibatalkan. Anda dapat memesan yang lain di Mekong."},
    {"test_cancelled", "fil", "Kinansela ang booking ng iyong test",
     "Kinansela ang iyong test sa {site} sa {when}. Maaari kang mag-book ng iba sa Mekong."},
    {"test_cancelled", "km", "ការកក់តេស្តរបស់អ្នកត្រូវបានលុបចោល",
     "តេស្តរបស់អ្នកនៅ {site} នៅ {when} ត្រូវបានលុបចោល។ អ្នកអាចកក់ថ្មីក្នុង Mekong។"},
    {"test_cancelled", "lo", "ການຈອງກວດຂອງທ່ານຖືກຍົກເລີກ",
     "ການກວດຂອງທ່ານທີ່ {site} ໃນ {when} ຖືກຍົກເລີກແລ້ວ. ທ່ານສາມາດຈອງໃໝ່ໃນ Mekong."},
    {"test_cancelled", "my", "သင့်စစ်ဆေးမှု စာရင်းသွင်းမှုကို ပယ်ဖျက်လိုက်ပါပြီ",
     "{when} တွင် {site} ၌ သင့်စစ်ဆေးမှုကို ပယ်ဖျက်လိုက်ပါပြီ။ Mekong တွင် နောက်တစ်ခု စာရင်းသွင်းနိုင်ပါသည်။"},
    {"test_cancelled", "ja", "検査の予約はキャンセルされました",
     "{when}の{site}での検査はキャンセルされました。Mekong で別の予約ができます。"},
    {"test_cancelled", "ko", "검사 예약이 취소되었습니다",
     "{when} {site}에서의 검사가 취소되었습니다. Mekong에서 다시 예약할 수 있습니다."},
    {"test_cancelled", "ta", "உங்கள் பரிசோதனை முன்பதிவு ரத்து செய்யப்பட்டது",
     "{when} அன்று {site} இல் உங்கள் பரிசோதனை ரத்து செய்யப்பட்டது. Mekong-இல் வேறொன்றை முன்பதிவு செய்யலாம்."},
    {"test_cancelled", "tet", "Ita-nia rezerva teste kansela ona",
     "Ita-nia teste iha {site} iha {when} kansela ona. Ita bele rezerva seluk iha Mekong."},
    {"test_cancelled", "pt", "A marcação do seu teste foi cancelada",
     "O seu teste em {site} de {when} foi cancelado. Pode marcar outro no Mekong."},

    // Before a booked test (a day before, or an hour when booked later).
    {"test_reminder", "en", "Reminder: your test",
     "Your test at {site} is at {when}. Bring an identity document."},
    {"test_reminder", "zh", "提醒：您的检测", "您在{site}的检测时间为{when}。请携带身份证件。"},
    {"test_reminder", "vi", "Nhắc lịch: xét nghiệm của bạn",
     "Lịch xét nghiệm của bạn tại {site} vào {when}. Hãy mang theo giấy tờ tùy thân."},
    {"test_reminder", "th", "แจ้งเตือน: การตรวจของคุณ",
     "การตรวจของคุณที่ {site} คือ {when} โปรดนำเอกสารแสดงตัวตนมาด้วย"},
    {"test_reminder", "ms", "Peringatan: ujian anda",
     "Ujian anda di {site} adalah pada {when}. Bawa dokumen pengenalan diri."},
    {"test_reminder", "id", "Pengingat: tes Anda",
     "Tes Anda di {site} pada {when}. Bawalah dokumen identitas."},
    {"test_reminder", "fil", "Paalala: ang iyong test",
     "Ang iyong test sa {site} ay sa {when}. Magdala ng dokumento ng pagkakakilanlan."},
    {"test_reminder", "km", "ការរំលឹក៖ តេស្តរបស់អ្នក",
     "តេស្តរបស់អ្នកនៅ {site} គឺនៅ {when}។ សូមយកឯកសារអត្តសញ្ញាណមកជាមួយ។"},
    {"test_reminder", "lo", "ແຈ້ງເຕືອນ: ການກວດຂອງທ່ານ",
     "ການກວດຂອງທ່ານທີ່ {site} ແມ່ນ {when}. ກະລຸນານຳເອກະສານຢັ້ງຢືນຕົວຕົນມານຳ."},
    {"test_reminder", "my", "သတိပေးချက်- သင့်စစ်ဆေးမှု",
     "{site} တွင် သင့်စစ်ဆေးမှုသည် {when} တွင် ဖြစ်ပါသည်။ သက်သေခံကတ်ပြား ယူလာပါ။"},
    {"test_reminder", "ja", "リマインダー：検査の予定",
     "{site}での検査は{when}です。本人確認書類をお持ちください。"},
    {"test_reminder", "ko", "알림: 검사 일정",
     "{site}에서의 검사는 {when}입니다. 신분증을 지참하세요."},
    {"test_reminder", "ta", "நினைவூட்டல்: உங்கள் பரிசோதனை",
     "{site} இல் உங்கள் பரிசோதனை {when} அன்று. அடையாள ஆவணத்தைக் கொண்டு வாருங்கள்."},
    {"test_reminder", "tet", "Hanoin-fali: ita-nia teste",
     "Ita-nia teste iha {site} iha {when}. Lori dokumentu identidade."},
    {"test_reminder", "pt", "Lembrete: o seu teste",
     "O seu teste em {site} é a {when}. Traga um documento de identificação."},

    // A lab's positive result on a person's sample.
    {"test_positive", "en", "Your test result: positive",
     "Your test (sample {label}) was positive. Stay at home and away from others; the health "
     "office will contact you. Your health code in Mekong is updated."},
    {"test_positive", "zh", "您的检测结果：阳性",
     "您的检测（样本 {label}）结果为阳性。请居家并与他人保持距离，卫生部门将与您联系。您在 Mekong "
     "的健康码已更新。"},
    {"test_positive", "vi", "Kết quả xét nghiệm của bạn: dương tính",
     "Xét nghiệm của bạn (mẫu {label}) cho kết quả dương tính. Hãy ở nhà và tránh tiếp xúc với "
     "người khác; cơ quan y tế sẽ liên hệ với bạn. Mã sức khỏe của bạn trong Mekong đã được cập "
     "nhật."},
    {"test_positive", "th", "ผลตรวจของคุณ: เป็นบวก",
     "ผลตรวจของคุณ (ตัวอย่าง {label}) เป็นบวก โปรดอยู่บ้านและเว้นระยะห่างจากผู้อื่น เจ้าหน้าที่สาธารณสุขจะติดต่อคุณ "
     "รหัสสุขภาพของคุณใน Mekong ได้รับการปรับปรุงแล้ว"},
    {"test_positive", "ms", "Keputusan ujian anda: positif",
     "Ujian anda (sampel {label}) adalah positif. Sila kekal di rumah dan jauhi orang lain; "
     "pejabat kesihatan akan menghubungi anda. Kod kesihatan anda dalam Mekong telah dikemas "
     "kini."},
    {"test_positive", "id", "Hasil tes Anda: positif",
     "Tes Anda (sampel {label}) positif. Tetaplah di rumah dan jauhi orang lain; dinas kesehatan "
     "akan menghubungi Anda. Kode kesehatan Anda di Mekong sudah diperbarui."},
    {"test_positive", "fil", "Resulta ng iyong test: positibo",
     "Positibo ang iyong test (sample {label}). Manatili sa bahay at lumayo sa ibang tao; "
     "makikipag-ugnayan sa iyo ang tanggapang pangkalusugan. Na-update na ang iyong health code sa "
     "Mekong."},
    {"test_positive", "km", "លទ្ធផលតេស្តរបស់អ្នក៖ វិជ្ជមាន",
     "តេស្តរបស់អ្នក (សំណាក {label}) មានលទ្ធផលវិជ្ជមាន។ សូមស្នាក់នៅផ្ទះ និងនៅឱ្យឆ្ងាយពីអ្នកដទៃ។ "
     "មន្ទីរសុខាភិបាលនឹងទាក់ទងអ្នក។ កូដសុខភាពរបស់អ្នកក្នុង Mekong ត្រូវបានធ្វើបច្ចុប្បន្នភាពហើយ។"},
    {"test_positive", "lo", "ຜົນກວດຂອງທ່ານ: ເປັນບວກ",
     "ຜົນກວດຂອງທ່ານ (ຕົວຢ່າງ {label}) ເປັນບວກ. ກະລຸນາຢູ່ເຮືອນ ແລະ ຫ່າງຈາກຄົນອື່ນ; ເຈົ້າໜ້າທີ່ສາທາລະນະສຸກຈະຕິດຕໍ່ທ່ານ. "
     "ລະຫັດສຸຂະພາບຂອງທ່ານໃນ Mekong ໄດ້ຮັບການປັບປຸງແລ້ວ."},
    {"test_positive", "my", "သင့်စစ်ဆေးမှုရလဒ်- ပိုးတွေ့",
     "သင့်စစ်ဆေးမှု (နမူနာ {label}) တွင် ပိုးတွေ့ပါသည်။ အိမ်တွင်နေပြီး အခြားသူများနှင့် ဝေးဝေးနေပါ။ ကျန်းမာရေးဌာနက သင့်ကို "
     "ဆက်သွယ်ပါမည်။ Mekong ရှိ သင့်ကျန်းမာရေးကုဒ်ကို အပ်ဒိတ်လုပ်ပြီးပါပြီ။"},
    {"test_positive", "ja", "検査結果：陽性",
     "あなたの検査（検体 "
     "{label}"
     "）は陽性でした。自宅にとどまり、他の人との接触を避けてください。保健所から連絡があります。Mek"
     "ong の健康コードは更新済みです。"},
    {"test_positive", "ko", "검사 결과: 양성",
     "귀하의 검사(검체 {label}) 결과는 양성입니다. 집에 머무르며 다른 사람과의 접촉을 피하세요. "
     "보건소에서 연락드릴 예정입니다. Mekong의 건강 코드가 갱신되었습니다."},
    {"test_positive", "ta", "உங்கள் பரிசோதனை முடிவு: நேர்மறை",
     "உங்கள் பரிசோதனை (மாதிரி {label}) நேர்மறையாக உள்ளது. வீட்டிலேயே இருங்கள், பிறரிடமிருந்து விலகி இருங்கள்; "
     "சுகாதார அலுவலகம் உங்களைத் தொடர்புகொள்ளும். Mekong-இல் உங்கள் சுகாதாரக் குறியீடு புதுப்பிக்கப்பட்டுள்ளது."},
    {"test_positive", "tet", "Ita-nia rezultadu teste: pozitivu",
     "Ita-nia teste (amostra {label}) pozitivu. Favor hela iha uma no dook husi ema seluk; servisu "
     "saúde sei kontaktu ita. Ita-nia kódigu saúde iha Mekong atualiza ona."},
    {"test_positive", "pt", "O resultado do seu teste: positivo",
     "O seu teste (amostra {label}) foi positivo. Fique em casa e afastado de outras pessoas; os "
     "serviços de saúde vão contactá-lo. O seu código de saúde no Mekong foi atualizado."},

    // A negative result.
    {"test_negative", "en", "Your test result: negative",
     "Your test (sample {label}) was negative. Your health code in Mekong is updated."},
    {"test_negative", "zh", "您的检测结果：阴性",
     "您的检测（样本 {label}）结果为阴性。您在 Mekong 的健康码已更新。"},
    {"test_negative", "vi", "Kết quả xét nghiệm của bạn: âm tính",
     "Xét nghiệm của bạn (mẫu {label}) cho kết quả âm tính. Mã sức khỏe của bạn trong Mekong đã "
     "được cập nhật."},
    {"test_negative", "th", "ผลตรวจของคุณ: เป็นลบ",
     "ผลตรวจของคุณ (ตัวอย่าง {label}) เป็นลบ รหัสสุขภาพของคุณใน Mekong ได้รับการปรับปรุงแล้ว"},
    {"test_negative", "ms", "Keputusan ujian anda: negatif",
     "Ujian anda (sampel {label}) adalah negatif. Kod kesihatan anda dalam Mekong telah dikemas "
     "kini."},
    {"test_negative", "id", "Hasil tes Anda: negatif",
     "Tes Anda (sampel {label}) negatif. Kode kesehatan Anda di Mekong sudah diperbarui."},
    {"test_negative", "fil", "Resulta ng iyong test: negatibo",
     "Negatibo ang iyong test (sample {label}). Na-update na ang iyong health code sa Mekong."},
    {"test_negative", "km", "លទ្ធផលតេស្តរបស់អ្នក៖ អវិជ្ជមាន",
     "តេស្តរបស់អ្នក (សំណាក {label}) មានលទ្ធផលអវិជ្ជមាន។ កូដសុខភាពរបស់អ្នកក្នុង Mekong ត្រូវបានធ្វើបច្ចុប្បន្នភាពហើយ។"},
    {"test_negative", "lo", "ຜົນກວດຂອງທ່ານ: ເປັນລົບ",
     "ຜົນກວດຂອງທ່ານ (ຕົວຢ່າງ {label}) ເປັນລົບ. ລະຫັດສຸຂະພາບຂອງທ່ານໃນ Mekong ໄດ້ຮັບການປັບປຸງແລ້ວ."},
    {"test_negative", "my", "သင့်စစ်ဆေးမှုရလဒ်- ပိုးမတွေ့",
     "သင့်စစ်ဆေးမှု (နမူနာ {label}) တွင် ပိုးမတွေ့ပါ။ Mekong ရှိ သင့်ကျန်းမာရေးကုဒ်ကို အပ်ဒိတ်လုပ်ပြီးပါပြီ။"},
    {"test_negative", "ja", "検査結果：陰性",
     "あなたの検査（検体 {label}）は陰性でした。Mekong の健康コードは更新済みです。"},
    {"test_negative", "ko", "검사 결과: 음성",
     "귀하의 검사(검체 {label}) 결과는 음성입니다. Mekong의 건강 코드가 갱신되었습니다."},
    {"test_negative", "ta", "உங்கள் பரிசோதனை முடிவு: எதிர்மறை",
     "உங்கள் பரிசோதனை (மாதிரி {label}) எதிர்மறையாக உள்ளது. Mekong-இல் உங்கள் சுகாதாரக் குறியீடு "
     "புதுப்பிக்கப்பட்டுள்ளது."},
    {"test_negative", "tet", "Ita-nia rezultadu teste: negativu",
     "Ita-nia teste (amostra {label}) negativu. Ita-nia kódigu saúde iha Mekong atualiza ona."},
    {"test_negative", "pt", "O resultado do seu teste: negativo",
     "O seu teste (amostra {label}) foi negativo. O seu código de saúde no Mekong foi atualizado."},

    // A sample the lab could not test.
    {"test_invalid", "en", "Your test could not be read",
     "Your sample {label} could not be tested. Please book another test in Mekong."},
    {"test_invalid", "zh", "您的检测无法判读",
     "您的样本 {label} 无法检测。请在 Mekong 重新预约检测。"},
    {"test_invalid", "vi", "Không đọc được kết quả xét nghiệm",
     "Mẫu {label} của bạn không xét nghiệm được. Vui lòng đặt lịch xét nghiệm lại trong Mekong."},
    {"test_invalid", "th", "ไม่สามารถอ่านผลตรวจของคุณได้",
     "ตัวอย่าง {label} ของคุณไม่สามารถตรวจได้ โปรดจองการตรวจใหม่ใน Mekong"},
    {"test_invalid", "ms", "Ujian anda tidak dapat dibaca",
     "Sampel anda {label} tidak dapat diuji. Sila tempah ujian lain dalam Mekong."},
    {"test_invalid", "id", "Tes Anda tidak dapat dibaca",
     "Sampel Anda {label} tidak dapat diuji. Silakan pesan tes lain di Mekong."},
    {"test_invalid", "fil", "Hindi mabasa ang iyong test",
     "Hindi ma-test ang iyong sample {label}. Mag-book ng panibagong test sa Mekong."},
    {"test_invalid", "km", "មិនអាចអានតេស្តរបស់អ្នកបានទេ",
     "សំណាក {label} របស់អ្នកមិនអាចធ្វើតេស្តបានទេ។ សូមកក់ការធ្វើតេស្តម្តងទៀតក្នុង Mekong។"},
    {"test_invalid", "lo", "ບໍ່ສາມາດອ່ານຜົນກວດຂອງທ່ານໄດ້",
     "ຕົວຢ່າງ {label} ຂອງທ່ານບໍ່ສາມາດກວດໄດ້. ກະລຸນາຈອງການກວດໃໝ່ໃນ Mekong."},
    {"test_invalid", "my", "သင့်စစ်ဆေးမှုကို ဖတ်၍မရပါ",
     "သင့်နမူနာ {label} ကို စစ်ဆေး၍မရပါ။ Mekong တွင် စစ်ဆေးမှုအသစ် ကြိုတင်စာရင်းသွင်းပါ။"},
    {"test_invalid", "ja", "検査結果を判定できませんでした",
     "検体 {label} は検査できませんでした。Mekong で検査を再予約してください。"},
    {"test_invalid", "ko", "검사 결과를 판독할 수 없습니다",
     "검체 {label}을(를) 검사할 수 없었습니다. Mekong에서 검사를 다시 예약하세요."},
    {"test_invalid", "ta", "உங்கள் பரிசோதனையைப் படிக்க முடியவில்லை",
     "உங்கள் மாதிரி {label}ஐப் பரிசோதிக்க முடியவில்லை. Mekong-இல் மற்றொரு பரிசோதனையை முன்பதிவு செய்யவும்."},
    {"test_invalid", "tet", "La bele lee ita-nia teste",
     "Ita-nia amostra {label} la bele teste. Favor marka teste foun iha Mekong."},
    {"test_invalid", "pt", "Não foi possível ler o seu teste",
     "Não foi possível testar a sua amostra {label}. Marque outro teste no Mekong."},
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
