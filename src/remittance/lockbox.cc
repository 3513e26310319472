#include "remittance/lockbox.h"

#include <algorithm>
#include <cstdlib>

namespace civicdesk::remittance {
namespace {

// One column range of a record, 1-based and inclusive, as docs/formats/lockbox.md writes it.
struct Field {
  int from;
  int to;
  const char* name;
};

// File header.
constexpr Field kDestination{2, 11, "destination"};
constexpr Field kOrigin{12, 21, "origin"};
constexpr Field kFileDate{22, 29, "file_date"};
constexpr Field kFileTime{30, 33, "file_time"};
constexpr Field kFileId{34, 43, "file_id"};
constexpr Field kHeaderReserved{44, 80, "reserved"};
// Batch header.
constexpr Field kBatchNumber{2, 5, "batch_number"};
constexpr Field kLockboxNumber{6, 12, "lockbox_number"};
constexpr Field kDepositDate{13, 20, "deposit_date"};
constexpr Field kBatchHeaderReserved{21, 80, "reserved"};
// Detail.
constexpr Field kSequence{6, 11, "sequence"};
constexpr Field kAmount{12, 21, "amount"};
constexpr Field kCheckNumber{22, 36, "check_number"};
constexpr Field kScanline{37, 57, "scanline"};
constexpr Field kRemitter{58, 80, "remitter"};
// Batch trailer.
constexpr Field kBatchItemCount{6, 11, "item_count"};
constexpr Field kBatchTotal{12, 23, "batch_total"};
constexpr Field kBatchTrailerReserved{24, 80, "reserved"};
// File trailer.
constexpr Field kFileBatchCount{2, 5, "batch_count"};
constexpr Field kFileItemCount{6, 13, "item_count"};
constexpr Field kFileTotal{14, 27, "file_total"};
constexpr Field kFileTrailerReserved{28, 80, "reserved"};

class Record {
 public:
  Record(std::string_view text, int line) : line_(line) {
    text_.assign(text.begin(), text.end());
    text_.resize(kLockboxRecordLength, ' ');
  }
  int line() const { return line_; }
  char type() const { return text_[0]; }

  std::unexpected<Error> error(const Field& f, const std::string& message) const {
    return std::unexpected(Error::invalid("line " + std::to_string(line_) + ": " + f.name,
                                          "line " + std::to_string(line_) + ", columns " +
                                              std::to_string(f.from) + "-" + std::to_string(f.to) +
                                              " (" + f.name + "): " + message));
  }
  std::unexpected<Error> error(const std::string& field, const std::string& message) const {
    return std::unexpected(Error::invalid("line " + std::to_string(line_) + ": " + field,
                                          "line " + std::to_string(line_) + ": " + message));
  }

  std::string_view raw(const Field& f) const {
    return std::string_view(text_).substr(static_cast<std::size_t>(f.from - 1),
                                          static_cast<std::size_t>(f.to - f.from + 1));
  }

  // All digits, exactly as wide as the field.
  Result<std::int64_t> number(const Field& f) const {
    std::string_view s = raw(f);
    std::int64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9')
        return error(f, "must be " + std::to_string(s.size()) + " digits, zero-padded; got '" +
                            shown(s) + "'");
      v = v * 10 + (c - '0');
    }
    return v;
  }

  // Printable ASCII, trailing and leading blanks trimmed.
  Result<std::string> text(const Field& f) const {
    std::string_view s = raw(f);
    for (char c : s)
      if (c < 0x20 || c > 0x7e) return error(f, "has a character that is not printable ASCII");
    std::size_t b = s.find_first_not_of(' ');
    if (b == std::string_view::npos) return std::string();
    std::size_t e = s.find_last_not_of(' ');
    return std::string(s.substr(b, e - b + 1));
  }

  Result<void> blank(const Field& f) const {
    if (raw(f).find_first_not_of(' ') != std::string_view::npos)
      return error(f, "must be blank (is the record shifted?)");
    return {};
  }

  Result<CivilDate> date(const Field& f) const {
    CD_ASSIGN(std::int64_t v, number(f));
    int y = static_cast<int>(v / 10000), m = static_cast<int>(v / 100 % 100),
        d = static_cast<int>(v % 100);
    if (!is_valid_date(y, m, d) || y < 2000 || y > 2099)
      return error(f, "must be a date YYYYMMDD; got '" + shown(raw(f)) + "'");
    return CivilDate{y, m, d};
  }

 private:
  static std::string shown(std::string_view s) {
    std::string out;
    for (char c : s) out.push_back(c >= 0x20 && c <= 0x7e ? c : '?');
    return out;
  }
  std::string text_;
  int line_;
};

enum class State { kExpectHeader, kInFile, kInBatch, kDone };

class Parser {
 public:
  Result<LockboxFile> run(std::string_view text) {
    int line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t end = text.find('\n', pos);
      std::string_view line = text.substr(pos, end == std::string_view::npos ? end : end - pos);
      pos = end == std::string_view::npos ? text.size() : end + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      CD_TRY(take(line, line_no));
    }
    if (state_ != State::kDone)
      return fail(Error::invalid("file",
                                 "the file ends before its file trailer (record 9); "
                                 "was it cut short?"));
    return std::move(file_);
  }

 private:
  Result<void> take(std::string_view line, int line_no) {
    if (line.empty()) {
      if (state_ == State::kDone) return {};
      return fail(Error::invalid("line " + std::to_string(line_no) + ": record_type",
                                 "line " + std::to_string(line_no) + " is empty"));
    }
    if (line.size() > kLockboxRecordLength)
      return fail(Error::invalid("line " + std::to_string(line_no) + ": record_type",
                                 "line " + std::to_string(line_no) + " is " +
                                     std::to_string(line.size()) + " characters; records are " +
                                     std::to_string(kLockboxRecordLength)));
    Record r(line, line_no);
    switch (state_) {
      case State::kExpectHeader:
        if (r.type() != '1')
          return r.error("record_type", "the file must start with a file header (record 1)");
        return header(r);
      case State::kInFile:
        if (r.type() == '5') return batch_header(r);
        if (r.type() == '9') return file_trailer(r);
        return r.error("record_type",
                       std::string("expected a batch header (5) or the file trailer (9), "
                                   "got record type '") +
                           printable(r.type()) + "'");
      case State::kInBatch:
        if (r.type() == '6') return detail(r);
        if (r.type() == '7') return batch_trailer(r);
        return r.error("record_type",
                       std::string("expected a detail (6) or a batch trailer (7), got "
                                   "record type '") +
                           printable(r.type()) + "'");
      case State::kDone:
        return r.error("record_type", "nothing may follow the file trailer (record 9)");
    }
    return {};
  }

  static char printable(char c) { return c >= 0x20 && c <= 0x7e ? c : '?'; }

  Result<void> header(const Record& r) {
    CD_ASSIGN(file_.destination, r.text(kDestination));
    CD_ASSIGN(file_.origin, r.text(kOrigin));
    if (file_.origin.empty()) return r.error(kOrigin, "the bank's id is required");
    CD_ASSIGN(file_.file_date, r.date(kFileDate));
    CD_ASSIGN(std::int64_t hhmm, r.number(kFileTime));
    if (hhmm / 100 > 23 || hhmm % 100 > 59) return r.error(kFileTime, "must be a time HHMM");
    file_.file_time_hhmm = static_cast<int>(hhmm);
    CD_ASSIGN(file_.file_id, r.text(kFileId));
    if (file_.file_id.empty()) return r.error(kFileId, "the file id is required");
    CD_TRY(r.blank(kHeaderReserved));
    state_ = State::kInFile;
    return {};
  }

  Result<void> batch_header(const Record& r) {
    CD_ASSIGN(std::int64_t number, r.number(kBatchNumber));
    if (number == 0) return r.error(kBatchNumber, "batch numbers start at 0001");
    if (std::any_of(file_.batches.begin(), file_.batches.end(),
                    [&](const LockboxBatch& b) { return b.number == number; }))
      return r.error(kBatchNumber, "batch " + std::to_string(number) + " appears twice");
    LockboxBatch b;
    b.number = static_cast<int>(number);
    CD_ASSIGN(std::int64_t lockbox, r.number(kLockboxNumber));
    (void)lockbox;
    b.lockbox = std::string(r.raw(kLockboxNumber));
    CD_ASSIGN(b.deposit_date, r.date(kDepositDate));
    CD_TRY(r.blank(kBatchHeaderReserved));
    file_.batches.push_back(std::move(b));
    state_ = State::kInBatch;
    return {};
  }

  Result<void> detail(const Record& r) {
    LockboxBatch& b = file_.batches.back();
    CD_ASSIGN(std::int64_t number, r.number(kBatchNumber));
    if (number != b.number)
      return r.error(kBatchNumber, "detail of batch " + std::to_string(number) + " inside batch " +
                                       std::to_string(b.number));
    CD_ASSIGN(std::int64_t seq, r.number(kSequence));
    std::int64_t expected = static_cast<std::int64_t>(b.items.size()) + 1;
    if (seq != expected)
      return r.error(kSequence, "expected item " + std::to_string(expected) + " of batch " +
                                    std::to_string(b.number) + ", got " + std::to_string(seq));
    if (file_.item_count >= kMaxLockboxItems)
      return fail(ErrorCode::kTooLarge,
                  "the file has more than " + std::to_string(kMaxLockboxItems) + " items",
                  "line " + std::to_string(r.line()) + ": sequence");
    LockboxItem item;
    item.line = r.line();
    item.batch = b.number;
    item.seq = static_cast<int>(seq);
    CD_ASSIGN(item.amount_cents, r.number(kAmount));
    if (item.amount_cents == 0) return r.error(kAmount, "must be more than $0.00");
    CD_ASSIGN(item.check_number, r.text(kCheckNumber));
    CD_ASSIGN(item.scanline, r.text(kScanline));
    CD_ASSIGN(item.payer, r.text(kRemitter));
    b.total_cents += item.amount_cents;
    file_.total_cents += item.amount_cents;
    ++file_.item_count;
    b.items.push_back(std::move(item));
    return {};
  }

  Result<void> batch_trailer(const Record& r) {
    const LockboxBatch& b = file_.batches.back();
    CD_ASSIGN(std::int64_t number, r.number(kBatchNumber));
    if (number != b.number)
      return r.error(kBatchNumber, "trailer of batch " + std::to_string(number) + " closes batch " +
                                       std::to_string(b.number));
    CD_ASSIGN(std::int64_t count, r.number(kBatchItemCount));
    if (count != static_cast<std::int64_t>(b.items.size()))
      return r.error(kBatchItemCount, "says " + std::to_string(count) + " items; batch " +
                                          std::to_string(b.number) + " has " +
                                          std::to_string(b.items.size()));
    CD_ASSIGN(std::int64_t total, r.number(kBatchTotal));
    if (total != b.total_cents)
      return r.error(kBatchTotal, "says " + cents_text(total) + "; the items of batch " +
                                      std::to_string(b.number) + " add up to " +
                                      cents_text(b.total_cents));
    CD_TRY(r.blank(kBatchTrailerReserved));
    state_ = State::kInFile;
    return {};
  }

  Result<void> file_trailer(const Record& r) {
    CD_ASSIGN(std::int64_t batches, r.number(kFileBatchCount));
    if (batches != static_cast<std::int64_t>(file_.batches.size()))
      return r.error(kFileBatchCount, "says " + std::to_string(batches) +
                                          " batches; the file has " +
                                          std::to_string(file_.batches.size()));
    CD_ASSIGN(std::int64_t items, r.number(kFileItemCount));
    if (items != file_.item_count)
      return r.error(kFileItemCount, "says " + std::to_string(items) + " items; the file has " +
                                         std::to_string(file_.item_count));
    CD_ASSIGN(std::int64_t total, r.number(kFileTotal));
    if (total != file_.total_cents)
      return r.error(kFileTotal, "says " + cents_text(total) + "; the items add up to " +
                                     cents_text(file_.total_cents));
    CD_TRY(r.blank(kFileTrailerReserved));
    state_ = State::kDone;
    return {};
  }

  static std::string cents_text(std::int64_t cents) {
    std::string c = std::to_string(cents % 100);
    return "$" + std::to_string(cents / 100) + "." + (c.size() == 1 ? "0" + c : c);
  }

  State state_ = State::kExpectHeader;
  LockboxFile file_;
};

// Right-justified, zero-padded digits; asserts nothing (a value too wide keeps its low digits).
std::string digits(std::int64_t value, int width) {
  std::string s = std::to_string(value < 0 ? 0 : value);
  if (static_cast<int>(s.size()) > width) s = s.substr(s.size() - static_cast<std::size_t>(width));
  return std::string(static_cast<std::size_t>(width) - s.size(), '0') + s;
}

// Left-justified, blank-padded, cut to the width.
std::string left(std::string_view text, int width) {
  std::string s(text.substr(0, static_cast<std::size_t>(width)));
  s.resize(static_cast<std::size_t>(width), ' ');
  return s;
}

std::string yyyymmdd(const CivilDate& d) {
  return digits(d.year, 4) + digits(d.month, 2) + digits(d.day, 2);
}

void end_record(std::string& out, std::string record) {
  record.resize(kLockboxRecordLength, ' ');
  out += record;
  out += '\n';
}

}  // namespace

Result<LockboxFile> parse_lockbox(std::string_view text) {
  if (text.size() > kMaxLockboxFileBytes)
    return fail(ErrorCode::kTooLarge,
                "the lockbox file is larger than " +
                    std::to_string(kMaxLockboxFileBytes / (1024 * 1024)) + " MiB",
                "file");
  if (text.empty()) return fail(Error::invalid("file", "the lockbox file is empty"));
  Parser p;
  return p.run(text);
}

std::string format_lockbox(const LockboxFile& f) {
  std::string out;
  std::int64_t items = 0, total = 0;
  end_record(out, "1" + left(f.destination, 10) + left(f.origin, 10) + yyyymmdd(f.file_date) +
                      digits(f.file_time_hhmm, 4) + left(f.file_id, 10));
  for (const auto& b : f.batches) {
    end_record(out, "5" + digits(b.number, 4) + digits(std::atoll(b.lockbox.c_str()), 7) +
                        yyyymmdd(b.deposit_date));
    std::int64_t batch_total = 0;
    for (const auto& i : b.items) {
      end_record(out, "6" + digits(b.number, 4) + digits(i.seq, 6) + digits(i.amount_cents, 10) +
                          left(i.check_number, 15) + left(i.scanline, 21) + left(i.payer, 23));
      batch_total += i.amount_cents;
    }
    end_record(out, "7" + digits(b.number, 4) +
                        digits(static_cast<std::int64_t>(b.items.size()), 6) +
                        digits(batch_total, 12));
    items += static_cast<std::int64_t>(b.items.size());
    total += batch_total;
  }
  end_record(out, "9" + digits(static_cast<std::int64_t>(f.batches.size()), 4) + digits(items, 8) +
                      digits(total, 14));
  return out;
}

}  // namespace civicdesk::remittance
