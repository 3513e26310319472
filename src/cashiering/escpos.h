// ESC/POS bytes for a thermal receipt printer (Epson TM-series command set): initialise, text
// lines (bold/double-height where asked), feed, partial cut, and the drawer-kick pulse that
// opens the cash drawer wired to the printer. Pure; the caller sends the bytes to port 9100.
#pragma once

#include <string>
#include <string_view>

namespace civicdesk::cashiering {

class EscPos {
 public:
  EscPos();                                  // ESC @ (initialise)
  EscPos& line(std::string_view text);       // text + LF; non-ASCII is replaced by '?'
  EscPos& bold_line(std::string_view text);  // ESC E 1 … ESC E 0
  EscPos& big_line(std::string_view text);   // GS ! 0x11 (double width and height)
  EscPos& center(bool on);                   // ESC a 1 / ESC a 0
  EscPos& feed(int lines);                   // ESC d n
  EscPos& cut();                             // GS V 66 0 (feed and partial cut)
  EscPos& kick_drawer();                     // ESC p 0 25 250 (pin 2, 50 ms on, 500 ms off)
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

// "Label.........$12.34" padded to `width` columns (42 for 80 mm paper at Font A).
std::string columns(std::string_view left, std::string_view right, std::size_t width = 42);

}  // namespace civicdesk::cashiering
