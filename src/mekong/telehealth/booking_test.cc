// Availability and booking through telehealth::Service, on SQLite and PostgreSQL.
#include <atomic>
#include <barrier>
#include <thread>

#include "mekong/core/zone.h"
#include "mekong/outbox/outbox.h"
#include "mekong/store/feed.h"
#include "mekong/telehealth/network_fixture.h"

namespace mekong::telehealth {
namespace {

using testing::Utc;

class BookingTest : public testing::NetworkTest {};

TEST_F(BookingTest, FreeSlotsAreInThePatientsZone) {
  // Monday 08:00 in Nanning (+8) is 07:00 in Ho Chi Minh City (+7) and 06:30 in Yangon.
  auto slots =
      service_->FreeSlots(citizen_, expert_.id, "Asia/Ho_Chi_Minh", "2026-03-02", "2026-03-02");
  ASSERT_OK(slots);
  ASSERT_EQ(slots->size(), 8u);
  EXPECT_EQ((*slots)[0].local_time, "07:00");
  EXPECT_EQ((*slots)[0].expert_local_time, "08:00");
  EXPECT_EQ((*slots)[7].local_time, "10:30");
  auto yangon =
      service_->FreeSlots(citizen_, expert_.id, "Asia/Yangon", "2026-03-02", "2026-03-02");
  ASSERT_OK(yangon);
  EXPECT_EQ((*yangon)[0].local_time, "06:30");
  // A booked slot is no longer offered.
  ASSERT_OK(BookAt(Utc("2026-03-02T00:00:00Z")));
  auto after =
      service_->FreeSlots(citizen_, expert_.id, "Asia/Ho_Chi_Minh", "2026-03-02", "2026-03-02");
  ASSERT_OK(after);
  EXPECT_EQ(after->size(), 7u);
  EXPECT_EQ((*after)[0].local_time, "07:30");
}

TEST_F(BookingTest, ABerlinExpertAcrossDaylightSavingThroughTheService) {
  auto berlin = AddHospital("Charité", world_->province, "DE", "Europe/Berlin", "USD", {"en"});
  registry::Caller dr;
  auto expert = AddPractitioner(berlin, world_->province, "Dr. Anna Weber", {"hematology"}, {"en"},
                                true, &dr);
  ASSERT_OK(
      service_->SetWeeklyHours(admin_, expert.id, {{5, 9 * 60, 10 * 60}, {1, 9 * 60, 10 * 60}}));
  auto slots =
      service_->FreeSlots(citizen_, expert.id, "Asia/Ho_Chi_Minh", "2026-03-27", "2026-03-30");
  ASSERT_OK(slots);
  std::vector<std::string> times;
  for (const auto& s : *slots) times.push_back(s.local_date + " " + s.local_time);
  // 09:00 CET on Friday is 15:00 in Vietnam; 09:00 CEST on Monday is 14:00.
  EXPECT_EQ(times, (std::vector<std::string>{"2026-03-27 15:00", "2026-03-27 15:30",
                                             "2026-03-30 14:00", "2026-03-30 14:30"}));
  NewAppointment in{patient_, expert.id, Utc("2026-03-30T07:00:00Z"), "Asia/Ho_Chi_Minh", ""};
  ASSERT_OK(service_->Book(citizen_, in));
  in.start = Utc("2026-03-30T08:00:00Z");  // 10:00 CEST: closed
  auto closed = service_->Book(citizen_, in);
  EXPECT_EQ(closed.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(closed.status().field(), "start");
}

TEST_F(BookingTest, BookingOpensAVirtualConsultationAndPublishes) {
  auto before = store::LatestSeq(world_->db());
  ASSERT_OK(before);
  auto a = BookAt(Utc("2026-03-02T01:00:00Z"));
  ASSERT_OK(a);
  EXPECT_EQ(a->status, AppointmentStatus::kBooked);
  EXPECT_EQ(a->end - a->start, 30 * kMillisPerMinute);
  EXPECT_EQ(a->hospital, nanning_);
  EXPECT_EQ(a->patient_zone, "Asia/Ho_Chi_Minh");
  auto c = service_->GetConsultation(citizen_, a->consultation);
  ASSERT_OK(c);
  EXPECT_EQ(c->status, EncounterStatus::kPlanned);
  EXPECT_EQ(c->video_url.rfind("https://meet.jit.si/mekong-", 0), 0u) << c->video_url;
  EXPECT_EQ(c->video_url.size(), std::string("https://meet.jit.si/mekong-").size() + 32);
  auto all = store::ChangesAfter(world_->db(), *before, 100, {"telehealth."});
  ASSERT_OK(all);
  std::vector<store::Change> changes;  // the others: the patient's messages (outbox.message)
  for (const auto& c : *all)
    if (c.topic.rfind("telehealth.", 0) == 0) changes.push_back(c);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].topic, "telehealth.appointment");
  EXPECT_NE(changes[0].payload.find("\"event\":\"booked\""), std::string::npos)
      << changes[0].payload;
  EXPECT_NE(changes[0].payload.find("\"zone\":\"Asia/Ho_Chi_Minh\""), std::string::npos);
}

TEST_F(BookingTest, RefusalsSayWhy) {
  auto past = BookAt(Utc("2026-02-27T00:00:00Z"));
  EXPECT_EQ(past.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(past.status().field(), "start");
  EXPECT_NE(past.status().message().find("past"), std::string::npos);
  auto night = BookAt(Utc("2026-03-02T12:00:00Z"));  // 20:00 in Nanning
  EXPECT_EQ(night.status().code(), Code::kInvalidArgument);
  EXPECT_NE(night.status().message().find("outside the expert's hours: Mon 08:00-12:00"),
            std::string::npos)
      << night.status().message();
  EXPECT_NE(night.status().message().find("Asia/Shanghai"), std::string::npos);
  ASSERT_OK(service_->AddClosure(admin_, nanning_, std::nullopt,
                                 {"2026-03-03", "2026-03-03", "hospital holiday"}));
  auto holiday = BookAt(Utc("2026-03-03T00:00:00Z"));
  EXPECT_EQ(holiday.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(holiday.status().message().find("hospital holiday"), std::string::npos);
  ASSERT_OK(BookAt(Utc("2026-03-02T00:00:00Z")));
  PersonId other;
  auto other_citizen = NewCitizen(&other);
  NewAppointment in{other, expert_.id, Utc("2026-03-02T00:00:00Z"), "Asia/Bangkok", ""};
  auto taken = service_->Book(other_citizen, in);
  EXPECT_EQ(taken.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(taken.status().field(), "start");
  EXPECT_EQ(taken.status().message(), "this slot is already booked");
  in.patient_zone = "Asia/Hanoi";  // not an IANA zone
  in.start = Utc("2026-03-02T02:00:00Z");
  EXPECT_EQ(service_->Book(other_citizen, in).status().field(), "patient_zone");
  in.patient_zone = "Asia/Bangkok";
  in.patient = patient_;  // someone else
  EXPECT_EQ(service_->Book(other_citizen, in).status().code(), Code::kPermissionDenied);
  // The patient cannot be in two consultations at once.
  auto second = service_->AddPractitioner(admin_, [&] {
    NewPractitioner p;
    p.user = world_->As(registry::Role::kClinician, world_->district_b)->user;
    p.hospital = nanning_;
    p.name = "Dr. Zhang";
    p.specialties = {"pediatrics"};
    p.languages = {"zh"};
    p.bookable = true;
    return p;
  }());
  ASSERT_OK(second);
  ASSERT_OK(service_->SetWeeklyHours(admin_, second->id, {{1, 8 * 60, 9 * 60}}));
  NewAppointment clash{patient_, second->id, Utc("2026-03-02T00:00:00Z"), "Asia/Ho_Chi_Minh", ""};
  EXPECT_EQ(service_->Book(citizen_, clash).status().code(), Code::kFailedPrecondition);
}

// Two patients race for the expert's last slot, each through its own connection pool and
// service as two servers would: one books, the other is refused, in every round.
TEST_F(BookingTest, TwoPatientsRacingForTheLastSlotGetOneBooking) {
  PersonId other;
  auto other_citizen = NewCitizen(&other);
  auto db2 = world_->OpenAgain(4);
  auto db3 = world_->OpenAgain(4);
  ASSERT_OK(db2);
  ASSERT_OK(db3);
  Service s2(**db2, clock_), s3(**db3, clock_);
  // An expert with one slot a day, 08:00-08:30 in Nanning: each round races for the last one.
  registry::Caller dr;
  auto expert = AddPractitioner(nanning_, world_->district_b, "Dr. Huang", {"hematology"},
                                {"zh", "vi"}, true, &dr);
  std::vector<WeeklyHours> weekly;
  for (int d = 1; d <= 5; ++d) weekly.push_back({d, 8 * 60, 8 * 60 + 30});
  ASSERT_OK(service_->SetWeeklyHours(admin_, expert.id, weekly));
  constexpr int kRounds = 12;
  int booked = 0, refused = 0;
  for (int round = 0; round < kRounds; ++round) {
    // Weekdays from Monday 2 March; 08:00 Nanning each day.
    const int64_t day = round + round / 5 * 2;
    const int64_t start = Utc("2026-03-02T00:00:00Z") + day * kMillisPerDay;
    std::barrier sync(2);
    Result<Appointment> r1 = Status::Internal("not run"), r2 = Status::Internal("not run");
    std::thread t1([&] {
      sync.arrive_and_wait();
      r1 = s2.Book(citizen_, {patient_, expert.id, start, "Asia/Ho_Chi_Minh", ""});
    });
    std::thread t2([&] {
      sync.arrive_and_wait();
      r2 = s3.Book(other_citizen, {other, expert.id, start, "Asia/Jakarta", ""});
    });
    t1.join();
    t2.join();
    ASSERT_NE(r1.ok(), r2.ok()) << "round " << round << ": " << r1.status().ToString() << " / "
                                << r2.status().ToString();
    const Status& lost = r1.ok() ? r2.status() : r1.status();
    EXPECT_EQ(lost.code(), Code::kAlreadyExists) << lost.ToString();
    EXPECT_EQ(lost.field(), "start");
    booked += r1.ok() + r2.ok();
    refused += !r1.ok() + !r2.ok();
  }
  EXPECT_EQ(booked, kRounds);
  EXPECT_EQ(refused, kRounds);
  auto cal = service_->ExpertCalendar(dr, expert.id, Utc("2026-03-01T00:00:00Z"),
                                      Utc("2026-04-01T00:00:00Z"));
  ASSERT_OK(cal);
  EXPECT_EQ(cal->size(), static_cast<size_t>(kRounds));
  auto left =
      service_->FreeSlots(citizen_, expert.id, "Asia/Ho_Chi_Minh", "2026-03-02", "2026-03-17");
  ASSERT_OK(left);
  EXPECT_TRUE(left->empty());
}

// The guarantee is the database's: a second slot-holding row is refused even by SQL that
// skips the service's checks.
TEST_F(BookingTest, TheStoreRefusesASecondHolderOfASlot) {
  auto a = BookAt(Utc("2026-03-02T00:00:00Z"));
  ASSERT_OK(a);
  auto dup = world_->db().Exec(
      "INSERT INTO tele_appointment (patient_id, practitioner_id, hospital_id, start_at, end_at, "
      "status, holds_slot, patient_zone, reason, cancel_reason, booked_by, created_at, "
      "updated_at) SELECT patient_id, practitioner_id, hospital_id, start_at, end_at, 'booked', "
      "1, patient_zone, '', '', booked_by, 0, 0 FROM tele_appointment WHERE id = ?",
      {a->id.value});
  EXPECT_EQ(dup.status().code(), Code::kAlreadyExists) << dup.status().ToString();
}

TEST_F(BookingTest, CancelFreesTheSlotAndCancelsTheConsultation) {
  auto a = BookAt(Utc("2026-03-02T00:00:00Z"));
  ASSERT_OK(a);
  EXPECT_EQ(service_->Cancel(citizen_, a->id, "").status().field(), "reason");
  auto c = service_->Cancel(citizen_, a->id, "feeling better");
  ASSERT_OK(c);
  EXPECT_EQ(c->status, AppointmentStatus::kCancelled);
  EXPECT_EQ(c->cancel_reason, "feeling better");
  EXPECT_EQ(service_->GetConsultation(citizen_, a->consultation)->status,
            EncounterStatus::kCancelled);
  EXPECT_EQ(service_->Cancel(citizen_, a->id, "again").status().code(), Code::kFailedPrecondition);
  ASSERT_OK(BookAt(Utc("2026-03-02T00:00:00Z")));  // the slot is free again
}

TEST_F(BookingTest, RescheduleMovesTheBookingAndTheConsultation) {
  auto a = BookAt(Utc("2026-03-02T00:00:00Z"));
  ASSERT_OK(a);
  ASSERT_OK(service_->PostMessage(citizen_, a->consultation, "Xin chào bác sĩ"));
  auto moved = service_->Reschedule(citizen_, a->id, Utc("2026-03-04T02:00:00Z"));
  ASSERT_OK(moved);
  EXPECT_EQ(moved->rescheduled_from, a->id);
  EXPECT_EQ(moved->consultation, a->consultation);
  EXPECT_EQ(moved->start, Utc("2026-03-04T02:00:00Z"));
  auto old = service_->GetAppointment(citizen_, a->id);
  ASSERT_OK(old);
  EXPECT_EQ(old->status, AppointmentStatus::kCancelled);
  EXPECT_EQ(old->cancel_reason, "rescheduled");
  auto c = service_->GetConsultation(citizen_, moved->consultation);
  ASSERT_OK(c);
  EXPECT_EQ(c->messages->size(), 1u);
  // Into a closed hour: refused, and nothing changed.
  auto bad = service_->Reschedule(citizen_, moved->id, Utc("2026-03-04T10:00:00Z"));
  EXPECT_EQ(bad.status().field(), "start");
  EXPECT_EQ(service_->GetAppointment(citizen_, moved->id)->status, AppointmentStatus::kBooked);
  auto mine = service_->PatientAppointments(citizen_, patient_);
  ASSERT_OK(mine);
  EXPECT_EQ(mine->size(), 2u);
}

// The patient hears of each change in their language, the time in the zone they booked in, and
// is reminded a day before; a move or a cancel takes back the reminder not shown yet.
TEST_F(BookingTest, ThePatientIsToldAndRemindedInTheirLanguage) {
  outbox::Outbox box(world_->db(), clock_);
  auto kinds = [&] {
    std::vector<std::string> k;
    auto mine = box.Mine(citizen_, 20, 0);  // kept: the loop must not outlive it
    for (const auto& m : *mine) k.push_back(m.kind);
    return k;
  };
  const int64_t start = Utc("2026-03-02T01:00:00Z");  // 08:00 in Hanoi, 09:00 in Nanning
  auto a = BookAt(start);
  ASSERT_OK(a);
  auto mine = box.Mine(citizen_, 20, 0);
  ASSERT_OK(mine);
  ASSERT_EQ(mine->size(), 1u);  // the reminder is not shown yet
  const auto& booked = mine->front();
  EXPECT_EQ(booked.kind, "appointment_booked");
  EXPECT_EQ(booked.language, "vi");
  EXPECT_EQ(booked.link, "/me/telehealth/bookings");
  const std::string when = FormatDateTime("Asia/Ho_Chi_Minh", "vi", start).value();
  EXPECT_NE(booked.text.find(when), std::string::npos) << booked.text << " / " << when;
  EXPECT_NE(booked.text.find("Dr. Li Wei (First Affiliated Hospital, Nanning)"), std::string::npos)
      << booked.text;
  EXPECT_EQ(*box.Unread(citizen_), 1);

  // A day before, the reminder is there, and the sender marks its in-app delivery.
  clock_.Set(start - kMillisPerDay - 1);
  EXPECT_EQ(kinds(), std::vector<std::string>({"appointment_booked"}));
  clock_.Set(start - kMillisPerDay);
  EXPECT_EQ(kinds(), std::vector<std::string>({"appointment_reminder", "appointment_booked"}));
  EXPECT_EQ(box.Mine(citizen_, 20, 0)->front().created_at, start - kMillisPerDay);
  ASSERT_OK(box.DeliverDue());
  auto deliveries = box.List(admin_, {});
  ASSERT_OK(deliveries);
  for (const auto& d : *deliveries) EXPECT_EQ(d.status, "sent") << d.kind;

  // Moved to Wednesday: told, with a new reminder; then cancelled: told, and that reminder
  // is taken back before anyone saw it.
  const int64_t later = Utc("2026-03-04T02:00:00Z");
  auto moved = service_->Reschedule(citizen_, a->id, later);
  ASSERT_OK(moved);
  EXPECT_EQ(box.Mine(citizen_, 20, 0)->front().kind, "appointment_rescheduled");
  EXPECT_NE(box.Mine(citizen_, 20, 0)
                ->front()
                .text.find(FormatDateTime("Asia/Ho_Chi_Minh", "vi", later).value()),
            std::string::npos);
  ASSERT_OK(service_->Cancel(citizen_, moved->id, "Tôi đã khỏe hơn"));
  auto told = box.Mine(citizen_, 20, 0);
  EXPECT_EQ(told->front().kind, "appointment_cancelled");
  EXPECT_NE(told->front().text.find("Tôi đã khỏe hơn"), std::string::npos);
  clock_.Set(later - kMillisPerHour);
  EXPECT_EQ(kinds(), std::vector<std::string>({"appointment_cancelled", "appointment_rescheduled",
                                               "appointment_reminder", "appointment_booked"}));
  ASSERT_OK(box.DeliverDue());
  auto all = box.List(admin_, {});
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 4u);  // in the app only: the patient chose no other channel
}

// Booked within the day: reminded an hour before; within the hour: not at all.
TEST_F(BookingTest, ALateBookingIsRemindedAnHourBefore) {
  outbox::Outbox box(world_->db(), clock_);
  clock_.Set(Utc("2026-03-02T00:10:00Z"));
  const int64_t start = Utc("2026-03-02T03:00:00Z");
  ASSERT_OK(BookAt(start));
  ASSERT_OK(BookAt(Utc("2026-03-02T00:30:00Z")));
  clock_.Set(start - kMillisPerHour);
  std::vector<std::string> kinds;
  auto mine = box.Mine(citizen_, 20, 0);
  ASSERT_OK(mine);
  for (const auto& m : *mine) kinds.push_back(m.kind);
  EXPECT_EQ(kinds, std::vector<std::string>(
                       {"appointment_reminder", "appointment_booked", "appointment_booked"}));
}

TEST_F(BookingTest, NoShowArrivedAndFulfilledAreTheExpertHospitals) {
  auto a = BookAt(Utc("2026-03-02T00:00:00Z"));
  ASSERT_OK(a);
  auto early = service_->SetAppointmentStatus(expert_caller_, a->id, AppointmentStatus::kNoShow);
  EXPECT_EQ(early.status().code(), Code::kFailedPrecondition);
  clock_.Set(Utc("2026-03-02T00:20:00Z"));
  EXPECT_EQ(
      service_->SetAppointmentStatus(citizen_, a->id, AppointmentStatus::kNoShow).status().code(),
      Code::kPermissionDenied);
  EXPECT_EQ(service_->SetAppointmentStatus(local_caller_, a->id, AppointmentStatus::kNoShow)
                .status()
                .code(),
            Code::kNotFound);  // not Móng Cái's appointment (nobody referred the patient)
  auto ns = service_->SetAppointmentStatus(expert_caller_, a->id, AppointmentStatus::kNoShow);
  ASSERT_OK(ns);
  EXPECT_EQ(ns->status, AppointmentStatus::kNoShow);
  EXPECT_EQ(AppointmentStatusName(ns->status), "noshow");
  EXPECT_EQ(service_->SetAppointmentStatus(expert_caller_, a->id, AppointmentStatus::kBooked)
                .status()
                .code(),
            Code::kInvalidArgument);
  auto err =
      service_->SetAppointmentStatus(expert_caller_, a->id, AppointmentStatus::kEnteredInError);
  ASSERT_OK(err);
  EXPECT_EQ(AppointmentStatusName(err->status), "entered-in-error");

  auto b = BookAt(Utc("2026-03-03T00:00:00Z"));
  ASSERT_OK(b);
  clock_.Set(Utc("2026-03-02T23:55:00Z"));
  auto arrived = service_->SetAppointmentStatus(expert_caller_, b->id, AppointmentStatus::kArrived);
  ASSERT_OK(arrived);
  ASSERT_OK(service_->SetAppointmentStatus(expert_caller_, b->id, AppointmentStatus::kCheckedIn));
  ASSERT_OK(service_->SetConsultationStatus(expert_caller_, b->consultation,
                                            EncounterStatus::kInProgress));
  ASSERT_OK(
      service_->SetConsultationStatus(expert_caller_, b->consultation, EncounterStatus::kFinished));
  EXPECT_EQ(service_->GetAppointment(citizen_, b->id)->status, AppointmentStatus::kFulfilled);
}

TEST_F(BookingTest, TheLocalDoctorBooksAndRefers) {
  auto a = BookAt(Utc("2026-03-02T00:00:00Z"), &local_caller_);
  ASSERT_OK(a);
  auto c = service_->GetConsultation(local_caller_, a->consultation);
  ASSERT_OK(c);
  EXPECT_EQ(c->referring, local_.id);
  EXPECT_EQ(c->referring_hospital, mong_cai_);
  // The referring hospital sees and may cancel the appointment; a stranger may not.
  ASSERT_OK(service_->GetAppointment(local_caller_, a->id));
  auto stranger = world_->As(registry::Role::kClinician, world_->district_b);
  ASSERT_OK(stranger);
  EXPECT_EQ(service_->GetAppointment(*stranger, a->id).status().code(), Code::kPermissionDenied);
}

TEST_F(BookingTest, FindExpertsBySpecialtyAndLanguage) {
  auto found = service_->FindExperts(citizen_, {"hematology", "vi", ""});
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].practitioner.name, "Dr. Li Wei");
  EXPECT_EQ((*found)[0].hospital.zone, "Asia/Shanghai");
  EXPECT_EQ((*found)[0].hospital.currency, "CNY");
  EXPECT_TRUE(service_->FindExperts(citizen_, {"hematology", "th", ""})->empty());
  EXPECT_TRUE(service_->FindExperts(citizen_, {"cardiology", "", ""})->empty());
  EXPECT_TRUE(service_->FindExperts(citizen_, {"", "", "VN"})->empty());  // local doctors
  EXPECT_EQ(service_->FindExperts(citizen_, {"", "xx", ""}).status().field(), "language");
}

}  // namespace
}  // namespace mekong::telehealth
