#include "core/csv.h"

namespace civicdesk {

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

bool CsvReader::at_line_end() const {
  return pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r');
}

void CsvReader::consume_line_end() {
  if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
  if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
  ++line_;
}

CsvReader::Status CsvReader::fail_line(std::string message) {
  error_ = std::move(message);
  while (pos_ < text_.size() && !at_line_end()) ++pos_;
  if (pos_ < text_.size()) consume_line_end();
  return Status::kError;
}

CsvReader::Status CsvReader::next(std::vector<std::string>* fields) {
  fields->clear();
  error_.clear();
  while (at_line_end()) consume_line_end();  // empty lines
  if (pos_ >= text_.size()) return Status::kEnd;
  record_line_ = line_;
  while (true) {
    if (fields->size() == kMaxCsvFields) return fail_line("more than 64 fields");
    std::string& field = fields->emplace_back();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      ++pos_;
      while (true) {
        const std::size_t quote = text_.find('"', pos_);
        if (quote == std::string_view::npos) {
          pos_ = text_.size();
          error_ = "a quoted field is not closed before the end of the file";
          fatal_ = true;
          return Status::kError;
        }
        for (std::size_t i = pos_; i < quote; ++i)
          if (text_[i] == '\n' || (text_[i] == '\r' && (i + 1 >= quote || text_[i + 1] != '\n')))
            ++line_;
        field.append(text_.substr(pos_, quote - pos_));
        pos_ = quote + 1;
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field += '"';
          ++pos_;
          continue;
        }
        break;
      }
      if (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end())
        return fail_line("text after the closing quote of field " + std::to_string(fields->size()));
    } else {
      const std::size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
        if (text_[pos_] == '"')
          return fail_line("a quote inside unquoted field " + std::to_string(fields->size()));
        ++pos_;
      }
      field.assign(text_.substr(start, pos_ - start));
    }
    if (pos_ < text_.size() && text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (pos_ < text_.size()) consume_line_end();
    return Status::kRecord;
  }
}

}  // namespace civicdesk
