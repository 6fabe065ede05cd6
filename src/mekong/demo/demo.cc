#include "mekong/demo/demo.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "mekong/cases/cases.h"
#include "mekong/core/time.h"
#include "mekong/registry/auth.h"
#include "mekong/registry/registry.h"
#include "mekong/telehealth/service.h"

namespace mekong::demo {

namespace {

// The 13 district-level units of Quang Ninh (shared/reference/domain.md).
const char* const kDistricts[] = {"Hạ Long",   "Cẩm Phả", "Uông Bí",  "Móng Cái", "Đông Triều",
                                  "Quảng Yên", "Vân Đồn", "Tiên Yên", "Hải Hà",   "Đầm Hà",
                                  "Bình Liêu", "Ba Chẽ",  "Cô Tô"};
constexpr int kCommunes = 177;

struct VenueKind {
  const char* kind;
  const char* label;
  int stay_minutes;
  int capacity;
};
const VenueKind kVenueKinds[] = {
    {"restaurant", "Nhà hàng", 60, 80}, {"cafe", "Quán cà phê", 60, 40},
    {"market", "Chợ", 45, 600},         {"supermarket", "Siêu thị", 40, 400},
    {"school", "Trường", 420, 900},     {"office", "Văn phòng", 480, 150},
    {"karaoke", "Karaoke", 120, 60},    {"bus_station", "Bến xe", 30, 300},
    {"pagoda", "Chùa", 60, 200},
};

const char* const kFamily[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ",
                               "Đặng",   "Bùi",  "Đỗ", "Hồ",   "Ngô",   "Dương"};
const char* const kMiddle[] = {"Văn", "Thị", "Minh", "Đức", "Thu", "Quang", "Ngọc", "Hữu"};
const char* const kGiven[] = {"An",     "Bình",  "Châu", "Dũng", "Giang", "Hà",  "Hải",
                              "Hương",  "Khánh", "Lan",  "Linh", "Long",  "Mai", "Nam",
                              "Phương", "Quân",  "Sơn",  "Thảo", "Trang", "Tuấn"};

struct Foreign {
  const char* nationality;
  const char* language;
  const char* names[4];
};
const Foreign kForeign[] = {
    {"CN", "zh", {"王伟", "李娜", "张敏", "刘洋"}},
    {"KR", "ko", {"김민준", "이서연", "박지훈", "최유나"}},
    {"JP", "ja", {"佐藤 健", "鈴木 花子", "高橋 大輔", "田中 美咲"}},
    {"TH", "th", {"สมชาย ใจดี", "สุดา ศรีสุข", "วิชัย ทองดี", "มาลี แสงทอง"}},
    {"LA", "lo", {"ສົມພອນ ແກ້ວ", "ບົວພັນ ສີ", "ຄຳແພງ ວົງ", "ນາງ ດາລາ"}},
    {"MY", "ms", {"Ahmad Faizal", "Nurul Aina", "Siti Aminah", "Muhammad Hafiz"}},
    {"PH", "fil", {"Juan dela Cruz", "Maria Santos", "Jose Reyes", "Ana Bautista"}},
    {"US", "en", {"John Miller", "Emily Carter", "Michael Brown", "Sarah Davis"}},
};

const std::vector<Account> kAccounts = {
    {"admin", "mekong-demo", "admin", "VN-QN", "province administrator"},
    {"officer.province", "mekong-demo", "command_officer", "VN-QN", "provincial command centre"},
    {"tracer.halong", "mekong-demo", "tracer", "QN-01", "Hạ Long district tracer"},
    {"officer.commune", "mekong-demo", "command_officer", "QN-01-01",
     "one commune's command centre"},
    {"operator.halong", "mekong-demo", "venue_operator", "QN-01", "venue operator in Hạ Long"},
    {"checkpoint.mongcai", "mekong-demo", "checkpoint_officer", "QN-04",
     "border checkpoint at Móng Cái"},
    {"clinician", "mekong-demo", "clinician", "QN-01", "doctor at Bãi Cháy hospital"},
    {"lab", "mekong-demo", "lab_technician", "VN-QN", "provincial CDC laboratory"},
    {"citizen", "mekong-demo", "citizen", "QN-01-01", "a resident; sees only their own record"},
    {"admin.nanning", "mekong-demo", "admin", "CN-GX",
     "administrator of the partner hospital in Nanning"},
    {"expert.nanning", "mekong-demo", "clinician", "CN-GX",
     "haematologist in Nanning (telehealth expert)"},
    {"cardio.nanning", "mekong-demo", "clinician", "CN-GX",
     "cardiologist in Nanning (telehealth expert)"},
};

// The partner network of the telehealth demo (docs/telehealth.md): Bãi Cháy hospital, where
// the demo clinician refers from, and a hospital in Nanning across the border whose two
// experts take bookings. Loaded through telehealth::Service after the region (the service runs
// its own transactions): the province's admin adds Bãi Cháy and the rate, Nanning's its own.
struct DemoExpert {
  const char* username;
  const char* name;
  std::vector<std::string> specialties, languages;
  std::vector<telehealth::WeeklyHours> weekly;  // in Asia/Shanghai
};

std::vector<telehealth::WeeklyHours> Weekdays(std::initializer_list<int> days,
                                              std::initializer_list<std::pair<int, int>> hours) {
  std::vector<telehealth::WeeklyHours> out;
  for (int d : days) {
    for (auto [from, to] : hours) out.push_back({d, from * 60, to * 60});
  }
  return out;
}

Status LoadPartnerNetwork(store::Database& db, int64_t now, const registry::Caller& admin,
                          const registry::Caller& partner_admin,
                          const std::map<std::string, UserId>& users, FacilityId bai_chay,
                          FacilityId nanning) {
  FixedClock clock(now);
  telehealth::Service tele(db, clock);
  RETURN_IF_ERROR(
      tele.AddHospital(partner_admin, {nanning, "CN", "Asia/Shanghai", "CNY", {"zh", "en", "vi"}}));
  RETURN_IF_ERROR(
      tele.AddHospital(admin, {bai_chay, "VN", "Asia/Ho_Chi_Minh", "VND", {"vi", "en"}}));
  const DemoExpert experts[] = {
      {"expert.nanning",
       "Dr. Li Wei (李伟)",
       {"hematology"},
       {"zh", "en", "vi"},
       Weekdays({1, 2, 3, 4, 5}, {{8, 12}, {14, 17}})},
      {"cardio.nanning",
       "Dr. Huang Min (黄敏)",
       {"cardiology"},
       {"zh", "en"},
       Weekdays({2, 4}, {{9, 12}})},
  };
  auto user_id = [&](const char* username) -> Result<UserId> {
    auto it = users.find(username);
    if (it == users.end()) return Status::Internal(std::string("no demo account ") + username);
    return it->second;
  };
  for (const DemoExpert& e : experts) {
    ASSIGN_OR_RETURN(UserId user, user_id(e.username));
    telehealth::NewPractitioner in;
    in.user = user;
    in.hospital = nanning;
    in.name = e.name;
    in.specialties = e.specialties;
    in.languages = e.languages;
    in.bookable = true;
    ASSIGN_OR_RETURN(auto p, tele.AddPractitioner(partner_admin, in));
    RETURN_IF_ERROR(tele.SetWeeklyHours(partner_admin, p.id, e.weekly, 60));
  }
  // The demo clinician is Bãi Cháy's local doctor: refers and describes, takes no bookings.
  ASSIGN_OR_RETURN(UserId local, user_id("clinician"));
  telehealth::NewPractitioner doctor;
  doctor.user = local;
  doctor.hospital = bai_chay;
  doctor.name = "BS. Trần Văn Hùng";
  doctor.specialties = {"internal_medicine"};
  doctor.languages = {"vi", "en"};
  RETURN_IF_ERROR(tele.AddPractitioner(admin, doctor));
  RETURN_IF_ERROR(tele.SetFee(partner_admin, nanning, "consultation",
                              "Remote specialist consultation", "350.00"));
  RETURN_IF_ERROR(tele.SetFee(admin, bai_chay, "consultation", "Khám tư vấn", "150000"));
  // A dated rate, as a bank would publish it (a demo figure, not a quotation).
  const std::string today = FormatRfc3339(now).substr(0, 10);
  RETURN_IF_ERROR(tele.AddExchangeRate(admin, "CNY", "VND", "3512.75", today, "demo rate"));
  return Status::Ok();
}

}  // namespace

const std::vector<Account>& Accounts() { return kAccounts; }

Result<bool> IsEmpty(store::Database& db) {
  ASSIGN_OR_RETURN(auto roots, registry::ListOrgUnits(db, std::nullopt));
  return roots.empty();
}

Result<Summary> Load(store::Database& db, int64_t now, const Options& opt) {
  ASSIGN_OR_RETURN(bool empty, IsEmpty(db));
  if (!empty)
    return Status::FailedPrecondition(
        "the database already holds data; the demo loads only into an empty one");
  std::mt19937_64 rng(opt.seed);
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  Summary sum;
  FacilityId bai_chay, nanning;
  registry::Caller admin;  // the demo admin, for the telehealth step after the region
  std::map<std::string, UserId> account_ids;
  admin.username = "admin";
  admin.role = registry::Role::kAdmin;
  registry::Caller partner_admin = admin;  // the Nanning hospital's
  partner_admin.username = "admin.nanning";

  Status s = db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto province,
                     registry::CreateOrgUnit(tx, {std::nullopt, "province", "Quảng Ninh", "VN-QN",
                                                  "Asia/Ho_Chi_Minh"}));
    std::vector<registry::OrgUnit> districts, communes;
    std::vector<int> commune_district;
    for (int d = 0; d < 13; ++d) {
      char code[16];
      std::snprintf(code, sizeof code, "QN-%02d", d + 1);
      ASSIGN_OR_RETURN(auto unit,
                       registry::CreateOrgUnit(tx, {province.id, "district", kDistricts[d], code}));
      districts.push_back(unit);
    }
    // 177 communes: 14 in each of the first 8 districts, 13 in the other 5.
    for (int d = 0, made = 0; d < 13; ++d) {
      int n = d < kCommunes % 13 ? kCommunes / 13 + 1 : kCommunes / 13;
      for (int c = 0; c < n; ++c, ++made) {
        char code[20];
        std::snprintf(code, sizeof code, "QN-%02d-%02d", d + 1, c + 1);
        std::string name = std::string(kDistricts[d]) + " commune " + std::to_string(c + 1);
        ASSIGN_OR_RETURN(auto unit,
                         registry::CreateOrgUnit(tx, {districts[d].id, "commune", name, code}));
        communes.push_back(unit);
        commune_district.push_back(d);
      }
    }
    sum.org_units = 1 + 13 + static_cast<int>(communes.size());

    // Venues: more in the big towns (the first districts), kinds in rough proportion.
    std::vector<registry::Venue> venues;
    std::vector<std::vector<size_t>> venues_by_district(13);
    for (int i = 0; i < opt.venues; ++i) {
      size_t c = static_cast<size_t>(
          std::min<int64_t>(uniform(0, kCommunes - 1), uniform(0, kCommunes - 1)));
      const VenueKind& k = kVenueKinds[uniform(0, std::size(kVenueKinds) - 1)];
      registry::Venue v;
      v.name = std::string(k.label) + " " +
               communes[c].name.substr(0, communes[c].name.find(" commune")) + " " +
               std::to_string(i + 1);
      v.kind = k.kind;
      v.capacity = k.capacity;
      v.org_unit = communes[c].id;
      v.default_stay_minutes = k.stay_minutes;
      ASSIGN_OR_RETURN(auto made, registry::CreateVenue(tx, v, now));
      venues_by_district[commune_district[c]].push_back(venues.size());
      venues.push_back(made);
    }
    sum.venues = static_cast<int>(venues.size());

    // People: nine in ten Vietnamese residents, the rest foreigners with passports.
    std::vector<registry::Person> people;
    std::vector<int> home_district;
    for (int i = 0; i < opt.people; ++i) {
      size_t c = static_cast<size_t>(
          std::min<int64_t>(uniform(0, kCommunes - 1), uniform(0, kCommunes - 1)));
      registry::Person p;
      p.org_unit = communes[c].id;
      if (i % 10 != 9) {
        p.full_name = std::string(kFamily[uniform(0, std::size(kFamily) - 1)]) + " " +
                      kMiddle[uniform(0, std::size(kMiddle) - 1)] + " " +
                      kGiven[uniform(0, std::size(kGiven) - 1)];
        p.document_type = "national_id";
        char doc[16];
        std::snprintf(doc, sizeof doc, "0221%08d", i);
        p.document_number = doc;
        p.nationality = "VN";
        p.language = "vi";
        char phone[16];
        std::snprintf(phone, sizeof phone, "+8491%07d", i);
        p.phone = phone;
      } else {
        const Foreign& f = kForeign[uniform(0, std::size(kForeign) - 1)];
        p.full_name = f.names[uniform(0, 3)];
        p.document_type = "passport";
        p.document_number = std::string(f.nationality) + std::to_string(7000000 + i);
        p.nationality = f.nationality;
        p.language = f.language;
      }
      char birth[16];
      std::snprintf(birth, sizeof birth, "%04d-%02d-%02d", static_cast<int>(uniform(1945, 2015)),
                    static_cast<int>(uniform(1, 12)), static_cast<int>(uniform(1, 28)));
      p.birth_date = birth;
      ASSIGN_OR_RETURN(auto made, registry::CreatePerson(tx, p, now));
      people.push_back(made);
      home_district.push_back(commune_district[c]);
    }
    sum.people = static_cast<int>(people.size());

    // A week of check-ins: each person visits 0-3 venues a day, mostly in their own district,
    // popular venues more often (a squared uniform skews towards the front of the list); stays
    // follow one another, and one in four never checks out.
    const int64_t local_midnight =
        (now + 7 * kMillisPerHour) / kMillisPerDay * kMillisPerDay - 7 * kMillisPerHour;
    std::vector<tracing::StayRow> stays;
    for (size_t pi = 0; pi < people.size(); ++pi) {
      for (int day = opt.days; day >= 1; --day) {
        int visits = static_cast<int>(uniform(0, 3));
        int64_t t = local_midnight - day * kMillisPerDay + 7 * kMillisPerHour +
                    uniform(0, 5 * 60) * kMillisPerMinute;
        for (int v = 0; v < visits; ++v) {
          const auto& local = venues_by_district[home_district[pi]];
          const auto& pool = local.empty() || uniform(0, 9) == 0 ? venues_by_district[0] : local;
          if (pool.empty()) break;
          double u = std::uniform_real_distribution<double>(0, 1)(rng);
          const registry::Venue& venue = venues[pool[static_cast<size_t>(u * u * pool.size())]];
          int64_t stay = std::max<int64_t>(10, venue.default_stay_minutes + uniform(-20, 30)) *
                         kMillisPerMinute;
          bool checked_out = uniform(0, 3) != 0;
          int64_t out = checked_out ? t + stay : t + venue.default_stay_minutes * kMillisPerMinute;
          if (out > now) break;
          stays.push_back({{people[pi].id, venue.id, t, out}, checked_out, "qr"});
          ++sum.checkins;
          t = out + uniform(15, 180) * kMillisPerMinute;
        }
      }
    }

    RETURN_IF_ERROR(tracing::WriteStays(tx, stays, now));

    registry::Facility hospital{
        FacilityId(), "Bệnh viện Bãi Cháy", "hospital", districts[0].id, "", 0};
    registry::Facility lab{FacilityId(), "CDC Quảng Ninh laboratory", "lab", province.id, "", 0};
    ASSIGN_OR_RETURN(auto made_hospital, registry::CreateFacility(tx, hospital, now));
    RETURN_IF_ERROR(registry::CreateFacility(tx, lab, now));
    bai_chay = made_hospital.id;
    // Across the border: the telehealth partner in Nanning, in a top-level unit of its own (its
    // zone, its own administrator; not a part of the province's tree, maps and counts).
    ASSIGN_OR_RETURN(auto guangxi,
                     registry::CreateOrgUnit(tx, {std::nullopt, "partner", "Guangxi (Nanning)",
                                                  "CN-GX", "Asia/Shanghai"}));
    registry::Facility partner{
        FacilityId(), "First Affiliated Hospital of Guangxi Medical University, Nanning",
        "hospital",   guangxi.id,
        "",           0};
    ASSIGN_OR_RETURN(auto made_partner, registry::CreateFacility(tx, partner, now));
    nanning = made_partner.id;
    admin.org_unit = province.id;
    admin.org_path = province.path;
    admin.time_zone = province.time_zone;
    partner_admin.org_unit = guangxi.id;
    partner_admin.org_path = guangxi.path;
    partner_admin.time_zone = guangxi.time_zone;

    // Accounts. The citizen account belongs to the first resident of commune QN-01-01.
    std::optional<PersonId> citizen_person;
    for (const auto& p : people) {
      if (p.org_unit == communes[0].id && p.nationality == "VN") {
        citizen_person = p.id;
        break;
      }
    }
    if (!citizen_person) citizen_person = people.front().id;
    UserId admin_id;
    for (const Account& a : kAccounts) {
      ASSIGN_OR_RETURN(auto unit, registry::FindOrgUnit(tx, a.org_unit));
      ASSIGN_OR_RETURN(auto role, registry::ParseRole(a.role));
      registry::NewUser u{a.username, a.password, role, unit.id, std::nullopt};
      if (role == registry::Role::kCitizen) u.person = citizen_person;
      ASSIGN_OR_RETURN(UserId id, registry::CreateUser(tx, u, now));
      if (a.username == "admin") admin_id = id;
      account_ids[a.username] = id;
    }
    admin.user = admin_id;
    partner_admin.user = account_ids.at("admin.nanning");
    ASSIGN_OR_RETURN(
        UserId gate,
        registry::CreateUser(
            tx, {"gate.mongcai.1", "", registry::Role::kDevice, districts[3].id, std::nullopt},
            now));
    ASSIGN_OR_RETURN(sum.device_api_key,
                     registry::IssueApiKey(tx, gate, "demo gate at Móng Cái", now));
    sum.accounts = kAccounts;

    // A handful of confirmed cases through the real workflow: most in Hạ Long, where the demo
    // tracer works, the rest spread over the province.
    const size_t step = std::max<size_t>(1, people.size() / (opt.cases + 1));
    size_t next = 0;  // people before this one are taken or passed over
    for (size_t start = step / 2; start < people.size() && sum.cases < opt.cases; start += step) {
      bool want_ha_long = sum.cases < opt.cases - 2;
      size_t pi = std::max(start, next);
      while (pi < people.size() && ((want_ha_long && home_district[pi] != 0) ||
                                    (citizen_person && people[pi].id == *citizen_person))) {
        ++pi;
      }
      if (pi == people.size()) break;
      next = pi + 1;
      int64_t onset = now - uniform(1, 3) * kMillisPerDay;
      ASSIGN_OR_RETURN(
          auto c, cases::Confirm(tx, {people[pi].id, onset, onset, std::nullopt, admin_id}, now,
                                 cases::SqlTracer()));
      ++sum.cases;
      sum.contacts += static_cast<int>(c.contact_count);
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(s);
  RETURN_IF_ERROR(
      LoadPartnerNetwork(db, now, admin, partner_admin, account_ids, bai_chay, nanning));
  return sum;
}

}  // namespace mekong::demo
