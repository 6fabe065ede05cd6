// The built-in screening questionnaire (version 1): respiratory illness during an epidemic,
// after the danger signs and common symptoms of WHO's COVID-19 guidance and the yellow-code
// "reported symptoms" rule of shared/reference/domain.md. Every text is in all 15 languages
// (a test fails otherwise); a province replaces it with `mekong screening activate FILE`.
#include "mekong/screening/questionnaire.h"

namespace mekong::screening {

namespace {

constexpr std::string_view kDefault =
    R"toml(# Mekong symptom self-assessment. Every key is documented in docs/screening.md.
# Activate a changed copy with
#   mekong screening check FILE && mekong screening activate FILE
version = 1
name = "Respiratory illness screening (default)"

# The recommendation is the most urgent of: what an answer sets (outcome = "..."), and the
# outcome whose points the answers' points reach.
[outcomes]
test = 3           # points from which a test is recommended
consultation = 6   # points from which a remote consultation is recommended

[[questions]]
id = "danger_signs"
kind = "yes_no"
yes = { outcome = "emergency", symptom = "danger_signs" }
text.en = "Do you have any of these now: severe difficulty breathing, chest pain or pressure, confusion or trouble staying awake, bluish lips or face?"
text.zh = "您现在是否有以下任何情况：严重呼吸困难、胸痛或胸闷、意识模糊或难以保持清醒、嘴唇或面部发青？"
text.vi = "Hiện bạn có dấu hiệu nào sau đây không: khó thở nặng, đau hoặc tức ngực, lú lẫn hoặc khó tỉnh táo, môi hoặc mặt tím tái?"
text.th = "ขณะนี้คุณมีอาการใดต่อไปนี้หรือไม่: หายใจลำบากรุนแรง เจ็บหรือแน่นหน้าอก สับสนหรือตื่นตัวได้ยาก ริมฝีปากหรือใบหน้าเขียวคล้ำ"
text.ms = "Adakah anda mengalami mana-mana perkara ini sekarang: sesak nafas yang teruk, sakit atau rasa tertekan di dada, keliru atau sukar untuk kekal berjaga, bibir atau muka kebiruan?"
text.id = "Apakah Anda sekarang mengalami salah satu hal berikut: sesak napas berat, nyeri atau rasa tertekan di dada, bingung atau sulit tetap terjaga, bibir atau wajah kebiruan?"
text.fil = "Mayroon ka bang alinman sa mga ito ngayon: matinding hirap sa paghinga, pananakit o paninikip ng dibdib, pagkalito o hirap manatiling gising, nangangasul na labi o mukha?"
text.km = "តើឥឡូវនេះអ្នកមានសញ្ញាណាមួយក្នុងចំណោមទាំងនេះដែរឬទេ៖ ពិបាកដកដង្ហើមខ្លាំង ឈឺ ឬតឹងទ្រូង វង្វេងស្មារតី ឬពិបាកនៅភ្ញាក់ដឹងខ្លួន បបូរមាត់ ឬមុខឡើងពណ៌ខៀវ?"
text.lo = "ຕອນນີ້ທ່ານມີອາການໃດໜຶ່ງຕໍ່ໄປນີ້ບໍ່: ຫາຍໃຈຍາກຢ່າງຮຸນແຮງ, ເຈັບ ຫຼື ແໜ້ນໜ້າເອິກ, ສັບສົນ ຫຼື ຕື່ນຕົວໄດ້ຍາກ, ສົບ ຫຼື ໜ້າເປັນສີຂຽວຄ້ຳ?"
text.my = "ယခု သင့်တွင် ဤလက္ခဏာများထဲမှ တစ်ခုခု ရှိပါသလား- အသက်ရှူရ အလွန်ခက်ခဲခြင်း၊ ရင်ဘတ်နာခြင်း သို့မဟုတ် ရင်ကျပ်ခြင်း၊ စိတ်ရှုပ်ထွေးခြင်း သို့မဟုတ် နိုးနိုးကြားကြား မနေနိုင်ခြင်း၊ နှုတ်ခမ်း သို့မဟုတ် မျက်နှာ ပြာနှမ်းခြင်း"
text.ja = "今、次のいずれかがありますか：ひどい息苦しさ、胸の痛みや圧迫感、意識の混乱や起きていられない状態、唇や顔が青紫色になっている。"
text.ko = "지금 다음 중 하나라도 있습니까: 심한 호흡 곤란, 가슴 통증이나 압박감, 혼란스럽거나 깨어 있기 어려움, 입술이나 얼굴이 파래짐?"
text.ta = "இவற்றில் ஏதேனும் ஒன்று இப்போது உங்களுக்கு உள்ளதா: கடுமையான மூச்சுத் திணறல், நெஞ்சு வலி அல்லது அழுத்தம், குழப்பம் அல்லது விழித்திருக்க சிரமம், உதடுகள் அல்லது முகம் நீலநிறமாதல்?"
text.tet = "Agora ita iha ida husi ida-ne'e: susar boot atu dada iis, hirus-matan ka todan iha hirus-matan, konfuzaun ka susar atu hela hadeer, ibun-tutun ka oin sai azul?"
text.pt = "Tem agora algum destes sinais: dificuldade grave em respirar, dor ou pressão no peito, confusão ou dificuldade em manter-se acordado, lábios ou rosto azulados?"

[[questions]]
id = "fever"
kind = "yes_no"
yes = { points = 2, symptom = "fever" }
text.en = "Do you have a fever (37.3 °C or more) or chills?"
text.zh = "您是否发烧（37.3 °C 或以上）或发冷？"
text.vi = "Bạn có sốt (từ 37,3 °C trở lên) hoặc ớn lạnh không?"
text.th = "คุณมีไข้ (37.3 °C ขึ้นไป) หรือหนาวสั่นหรือไม่"
text.ms = "Adakah anda demam (37.3 °C atau lebih) atau menggigil?"
text.id = "Apakah Anda demam (37,3 °C atau lebih) atau menggigil?"
text.fil = "May lagnat ka ba (37.3 °C o higit pa) o ginaw?"
text.km = "តើអ្នកមានគ្រុនក្តៅ (37.3 °C ឬលើសពីនេះ) ឬរងាញាក់ដែរឬទេ?"
text.lo = "ທ່ານມີໄຂ້ (37,3 °C ຂຶ້ນໄປ) ຫຼື ໜາວສັ່ນບໍ່?"
text.my = "သင့်တွင် ဖျားခြင်း (37.3 °C နှင့်အထက်) သို့မဟုတ် ချမ်းတုန်ခြင်း ရှိပါသလား"
text.ja = "発熱（37.3 °C 以上）や悪寒がありますか。"
text.ko = "열(37.3 °C 이상)이나 오한이 있습니까?"
text.ta = "உங்களுக்குக் காய்ச்சல் (37.3 °C அல்லது அதற்கு மேல்) அல்லது குளிர் நடுக்கம் உள்ளதா?"
text.tet = "Ita iha isin-manas (37,3 °C ka liu) ka isin-malirin?"
text.pt = "Tem febre (37,3 °C ou mais) ou calafrios?"

[[questions]]
id = "cough"
kind = "yes_no"
yes = { points = 1, symptom = "cough" }
text.en = "Do you have a new cough or a sore throat?"
text.zh = "您是否有新出现的咳嗽或喉咙痛？"
text.vi = "Bạn có mới bị ho hoặc đau họng không?"
text.th = "คุณเพิ่งมีอาการไอหรือเจ็บคอหรือไม่"
text.ms = "Adakah anda mengalami batuk baharu atau sakit tekak?"
text.id = "Apakah Anda mengalami batuk baru atau sakit tenggorokan?"
text.fil = "May bago ka bang ubo o pananakit ng lalamunan?"
text.km = "តើអ្នកទើបតែមានក្អក ឬឈឺបំពង់កដែរឬទេ?"
text.lo = "ທ່ານຫາກໍ່ມີອາການໄອ ຫຼື ເຈັບຄໍບໍ່?"
text.my = "သင့်တွင် ချောင်းအသစ်ဆိုးခြင်း သို့မဟုတ် လည်ချောင်းနာခြင်း ရှိပါသလား"
text.ja = "新しく咳が出たり、のどが痛んだりしていますか。"
text.ko = "새로 생긴 기침이나 인후통이 있습니까?"
text.ta = "உங்களுக்குப் புதிதாக இருமல் அல்லது தொண்டை வலி உள்ளதா?"
text.tet = "Ita foin mosu mear ka kakorok moras?"
text.pt = "Tem tosse recente ou dor de garganta?"

[[questions]]
id = "taste_smell"
kind = "yes_no"
yes = { points = 2, symptom = "taste_smell" }
text.en = "Have you lost your sense of taste or smell?"
text.zh = "您是否失去了味觉或嗅觉？"
text.vi = "Bạn có bị mất vị giác hoặc khứu giác không?"
text.th = "คุณสูญเสียการรับรสหรือการได้กลิ่นหรือไม่"
text.ms = "Adakah anda hilang deria rasa atau bau?"
text.id = "Apakah Anda kehilangan indra perasa atau penciuman?"
text.fil = "Nawalan ka ba ng panlasa o pang-amoy?"
text.km = "តើអ្នកបាត់បង់សមត្ថភាពភ្លក់រសជាតិ ឬហិតក្លិនដែរឬទេ?"
text.lo = "ທ່ານສູນເສຍການຮັບລົດ ຫຼື ການໄດ້ກິ່ນບໍ່?"
text.my = "သင် အရသာ သို့မဟုတ် အနံ့ မခံစားနိုင်တော့ပါသလား"
text.ja = "味覚や嗅覚がなくなりましたか。"
text.ko = "미각이나 후각을 잃었습니까?"
text.ta = "உங்களுக்குச் சுவை அல்லது வாசனை உணர்வு இழந்துவிட்டதா?"
text.tet = "Ita lakon sente gostu ka iis-rai?"
text.pt = "Perdeu o paladar ou o olfato?"

[[questions]]
id = "breathless"
kind = "yes_no"
yes = { points = 3, symptom = "breathless" }
text.en = "Are you short of breath with light activity, such as walking or talking?"
text.zh = "您在轻微活动（如走路或说话）时是否感到气短？"
text.vi = "Bạn có bị hụt hơi khi vận động nhẹ, như đi bộ hoặc nói chuyện không?"
text.th = "คุณหายใจไม่อิ่มเมื่อทำกิจกรรมเบา ๆ เช่น เดินหรือพูดหรือไม่"
text.ms = "Adakah anda sesak nafas ketika melakukan aktiviti ringan, seperti berjalan atau bercakap?"
text.id = "Apakah Anda sesak napas saat beraktivitas ringan, seperti berjalan atau berbicara?"
text.fil = "Nahihirapan ka bang huminga kahit sa magaang gawain, gaya ng paglalakad o pagsasalita?"
text.km = "តើអ្នកហត់ពេលធ្វើសកម្មភាពស្រាលៗ ដូចជាដើរ ឬនិយាយដែរឬទេ?"
text.lo = "ທ່ານຫາຍໃຈຫອບເມື່ອເຮັດກິດຈະກຳເບົາໆ ເຊັ່ນ ຍ່າງ ຫຼື ເວົ້າລົມບໍ່?"
text.my = "လမ်းလျှောက်ခြင်း သို့မဟုတ် စကားပြောခြင်းကဲ့သို့ ပေါ့ပါးသော လှုပ်ရှားမှုတွင် သင် မောပန်းပါသလား"
text.ja = "歩く、話すなどの軽い動作で息切れがしますか。"
text.ko = "걷기나 말하기 같은 가벼운 활동에도 숨이 찹니까?"
text.ta = "நடப்பது, பேசுவது போன்ற இலேசான செயல்களின்போது உங்களுக்கு மூச்சு வாங்குகிறதா?"
text.tet = "Ita iis-kurtu bainhira halo atividade kmaan, hanesan la'o ka ko'alia?"
text.pt = "Fica sem fôlego com atividade ligeira, como andar ou falar?"

[[questions]]
id = "days_unwell"
kind = "number"
min = 0
max = 365
bands = [{ from = 4, points = 1 }, { from = 7, points = 3 }]
text.en = "For how many days have you felt unwell? (0 if you feel well)"
text.zh = "您感到不适已有多少天？（如感觉良好请填 0）"
text.vi = "Bạn đã thấy không khỏe bao nhiêu ngày? (nhập 0 nếu bạn thấy khỏe)"
text.th = "คุณรู้สึกไม่สบายมากี่วันแล้ว (ใส่ 0 ถ้ารู้สึกสบายดี)"
text.ms = "Berapa hari anda berasa tidak sihat? (0 jika anda berasa sihat)"
text.id = "Sudah berapa hari Anda merasa tidak sehat? (0 jika Anda merasa sehat)"
text.fil = "Ilang araw ka nang masama ang pakiramdam? (0 kung mabuti ang pakiramdam mo)"
text.km = "តើអ្នកមានអារម្មណ៍មិនស្រួលខ្លួនប៉ុន្មានថ្ងៃហើយ? (0 ប្រសិនបើអ្នកសុខសប្បាយ)"
text.lo = "ທ່ານຮູ້ສຶກບໍ່ສະບາຍມາຈັກມື້ແລ້ວ? (0 ຖ້າທ່ານສະບາຍດີ)"
text.my = "သင် နေမကောင်းဖြစ်နေသည်မှာ ရက်မည်မျှ ရှိပြီနည်း။ (နေကောင်းလျှင် 0)"
text.ja = "体調が悪くなってから何日になりますか。（元気な場合は 0）"
text.ko = "몸이 안 좋은 지 며칠 되었습니까? (괜찮으면 0)"
text.ta = "எத்தனை நாட்களாக உங்களுக்கு உடல்நலம் சரியில்லை? (நலமாக இருந்தால் 0)"
text.tet = "Loron hira ona mak ita sente la di'ak? (0 se ita sente di'ak)"
text.pt = "Há quantos dias se sente doente? (0 se se sente bem)"

[[questions]]
id = "contact"
kind = "yes_no"
yes = { points = 3, outcome = "test" }
text.en = "In the last 14 days, were you close to someone with a confirmed case, or told that you are a contact?"
text.zh = "在过去 14 天内，您是否与确诊病例有过密切接触，或被告知您是接触者？"
text.vi = "Trong 14 ngày qua, bạn có tiếp xúc gần với ca bệnh đã được xác nhận, hoặc được thông báo là người tiếp xúc không?"
text.th = "ใน 14 วันที่ผ่านมา คุณอยู่ใกล้ชิดกับผู้ป่วยยืนยัน หรือได้รับแจ้งว่าเป็นผู้สัมผัสหรือไม่"
text.ms = "Dalam 14 hari lalu, adakah anda berdekatan dengan kes yang disahkan, atau dimaklumkan bahawa anda ialah kontak?"
text.id = "Dalam 14 hari terakhir, apakah Anda berada dekat dengan kasus terkonfirmasi, atau diberi tahu bahwa Anda adalah kontak?"
text.fil = "Sa nakaraang 14 na araw, napalapit ka ba sa taong kumpirmadong kaso, o sinabihan kang isa kang contact?"
text.km = "ក្នុងរយៈពេល 14 ថ្ងៃចុងក្រោយ តើអ្នកបាននៅជិតអ្នកជំងឺដែលបានបញ្ជាក់ ឬត្រូវបានប្រាប់ថាអ្នកជាអ្នកប៉ះពាល់ដែរឬទេ?"
text.lo = "ໃນ 14 ມື້ຜ່ານມາ, ທ່ານໄດ້ຢູ່ໃກ້ຊິດກັບຜູ້ຕິດເຊື້ອທີ່ຢືນຢັນແລ້ວ ຫຼື ໄດ້ຮັບແຈ້ງວ່າເປັນຜູ້ສຳຜັດບໍ່?"
text.my = "လွန်ခဲ့သော 14 ရက်အတွင်း အတည်ပြုလူနာတစ်ဦးနှင့် နီးကပ်စွာ ရှိခဲ့ပါသလား သို့မဟုတ် သင်သည် ထိတွေ့သူဖြစ်ကြောင်း အကြောင်းကြားခံရပါသလား"
text.ja = "この 14 日間に、確定患者の近くにいた、または接触者だと知らされたことがありますか。"
text.ko = "지난 14일 동안 확진자와 가까이 있었거나 접촉자라는 통보를 받았습니까?"
text.ta = "கடந்த 14 நாட்களில் உறுதிசெய்யப்பட்ட நோயாளியுடன் நெருக்கமாக இருந்தீர்களா, அல்லது நீங்கள் தொடர்பாளர் என்று தெரிவிக்கப்பட்டதா?"
text.tet = "Iha loron 14 ikus ne'e, ita besik ema ida ne'ebé kazu konfirmadu, ka hetan informasaun katak ita kontaktu?"
text.pt = "Nos últimos 14 dias, esteve perto de alguém com um caso confirmado, ou foi informado de que é um contacto?"

[[questions]]
id = "higher_risk"
kind = "yes_no"
yes = { points = 2 }
text.en = "Are you 60 or older, pregnant, or living with a long-term illness (such as heart, lung or kidney disease, diabetes, thalassemia or cancer)?"
text.zh = "您是否年满 60 岁、怀孕，或患有慢性病（如心脏、肺或肾脏疾病、糖尿病、地中海贫血或癌症）？"
text.vi = "Bạn có từ 60 tuổi trở lên, đang mang thai, hoặc mắc bệnh mạn tính (như bệnh tim, phổi hoặc thận, tiểu đường, thalassemia hoặc ung thư) không?"
text.th = "คุณอายุ 60 ปีขึ้นไป ตั้งครรภ์ หรือมีโรคเรื้อรัง (เช่น โรคหัวใจ ปอด หรือไต เบาหวาน ธาลัสซีเมีย หรือมะเร็ง) หรือไม่"
text.ms = "Adakah anda berumur 60 tahun ke atas, hamil, atau menghidap penyakit jangka panjang (seperti penyakit jantung, paru-paru atau buah pinggang, diabetes, talasemia atau kanser)?"
text.id = "Apakah Anda berusia 60 tahun atau lebih, hamil, atau hidup dengan penyakit jangka panjang (seperti penyakit jantung, paru-paru atau ginjal, diabetes, talasemia atau kanker)?"
text.fil = "Ikaw ba ay 60 taong gulang o higit pa, buntis, o may pangmatagalang sakit (gaya ng sakit sa puso, baga o bato, diabetes, thalassemia o kanser)?"
text.km = "តើអ្នកមានអាយុ 60 ឆ្នាំ ឬលើសពីនេះ មានផ្ទៃពោះ ឬមានជំងឺរ៉ាំរ៉ៃ (ដូចជាជំងឺបេះដូង សួត ឬតម្រងនោម ទឹកនោមផ្អែម ថាឡាសេមី ឬមហារីក) ដែរឬទេ?"
text.lo = "ທ່ານມີອາຍຸ 60 ປີຂຶ້ນໄປ, ຖືພາ, ຫຼື ມີພະຍາດຊຳເຮື້ອ (ເຊັ່ນ ພະຍາດຫົວໃຈ, ປອດ ຫຼື ໝາກໄຂ່ຫຼັງ, ເບົາຫວານ, ທາລັດຊີເມຍ ຫຼື ມະເຮັງ) ບໍ່?"
text.my = "သင်သည် အသက် 60 နှင့်အထက်၊ ကိုယ်ဝန်ဆောင်၊ သို့မဟုတ် နာတာရှည်ရောဂါ (နှလုံး၊ အဆုတ် သို့မဟုတ် ကျောက်ကပ်ရောဂါ၊ ဆီးချို၊ သွေးအားနည်းရောဂါ (thalassemia) သို့မဟုတ် ကင်ဆာ ကဲ့သို့) ရှိသူ ဖြစ်ပါသလား"
text.ja = "60 歳以上、妊娠中、または長期の病気（心臓・肺・腎臓の病気、糖尿病、サラセミア、がんなど）がありますか。"
text.ko = "60세 이상이거나 임신 중이거나 만성 질환(심장·폐·신장 질환, 당뇨병, 지중해빈혈, 암 등)이 있습니까?"
text.ta = "நீங்கள் 60 வயது அல்லது அதற்கு மேற்பட்டவரா, கர்ப்பமாக உள்ளீர்களா, அல்லது நீண்டகால நோய் (இதயம், நுரையீரல் அல்லது சிறுநீரக நோய், நீரிழிவு, தலசீமியா அல்லது புற்றுநோய் போன்றவை) உள்ளவரா?"
text.tet = "Ita tinan 60 ka liu, isin-rua, ka moris ho moras króniku (hanesan moras fuan, pulmaun ka rins, diabetes, talasemia ka kankru)?"
text.pt = "Tem 60 anos ou mais, está grávida, ou vive com uma doença prolongada (como doença cardíaca, pulmonar ou renal, diabetes, talassemia ou cancro)?"
)toml";

}  // namespace

std::string_view DefaultQuestionnaireText() { return kDefault; }

}  // namespace mekong::screening
