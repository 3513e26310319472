#include "cashiering/escpos.h"

namespace civicdesk::cashiering {
namespace {
constexpr char kEsc = 0x1b;
constexpr char kGs = 0x1d;

std::string ascii(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x80) {
      if ((c & 0xC0) != 0x80) out.push_back('?');  // one '?' per UTF-8 character
    } else if (c >= 0x20 || c == '\t') {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}
}  // namespace

EscPos::EscPos() { out_ = {kEsc, '@'}; }

EscPos& EscPos::line(std::string_view text) {
  out_ += ascii(text);
  out_.push_back('\n');
  return *this;
}

EscPos& EscPos::bold_line(std::string_view text) {
  out_ += {kEsc, 'E', 1};
  line(text);
  out_ += {kEsc, 'E', 0};
  return *this;
}

EscPos& EscPos::big_line(std::string_view text) {
  out_ += {kGs, '!', 0x11};
  line(text);
  out_ += {kGs, '!', 0x00};
  return *this;
}

EscPos& EscPos::center(bool on) {
  out_ += {kEsc, 'a', static_cast<char>(on ? 1 : 0)};
  return *this;
}

EscPos& EscPos::feed(int lines) {
  out_ += {kEsc, 'd', static_cast<char>(lines < 0 ? 0 : lines > 255 ? 255 : lines)};
  return *this;
}

EscPos& EscPos::cut() {
  out_ += {kGs, 'V', 66, 0};
  return *this;
}

EscPos& EscPos::kick_drawer() {
  out_ += {kEsc, 'p', 0, 25, static_cast<char>(250)};
  return *this;
}

std::string columns(std::string_view left, std::string_view right, std::size_t width) {
  std::string l = ascii(left), r = ascii(right);
  if (l.size() + r.size() + 1 > width) l = l.substr(0, width > r.size() + 1 ? width - r.size() - 1 : 0);
  return l + std::string(width - l.size() - r.size(), ' ') + r;
}

}  // namespace civicdesk::cashiering
