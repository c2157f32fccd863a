// SPDX-License-Identifier: GPL-2.0-or-later
// The pure parsers of listening sockets: Linux /proc/net tables and `netstat -an` in the
// styles of Solaris, AIX/BSD/HP-UX and Linux net-tools, each fed whole and split at every
// byte position (the result must not depend on how the input arrives).
#include <tlsmux/platform/listening_sockets.hpp>

#include <string>
#include <vector>

#include <CppUTest/TestHarness.h>

using namespace tlsmux::platform;

namespace {

std::string text_of(const std::vector<listening_socket>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string a = v[i].address.to_string();
    s += std::string(v[i].udp ? "udp " : "tcp ") + (v[i].address.is_v6() ? "[" + a + "]" : a) + ":" +
         std::to_string(v[i].port) + "\n";
  }
  return s;
}

// Parses text whole, then split once at every position; all results must agree.
template <class Make>
std::string parse_all_ways(const std::string& text, Make make) {
  auto whole = make();
  whole.feed(text.data(), text.size());
  whole.finish();
  std::vector<listening_socket> expected = whole.sockets();
  normalise(expected);
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    auto p = make();
    p.feed(text.data(), cut);
    p.feed(text.data() + cut, text.size() - cut);
    p.finish();
    std::vector<listening_socket> got = p.sockets();
    normalise(got);
    STRCMP_EQUAL_TEXT(text_of(expected).c_str(), text_of(got).c_str(), std::to_string(cut).c_str());
  }
  return text_of(expected);
}

std::string proc(const std::string& text, bool udp, bool little = true) {
  return parse_all_ways(text, [udp, little]() { return proc_net_parser(udp, little); });
}

std::string netstat(const std::string& text) {
  return parse_all_ways(text, []() { return netstat_parser(); });
}

const char proc_tcp[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   108        0 20325 1 0000000000000000 100 0 0 10 0\n"
    "   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 18312 1 0000000000000000 100 0 0 10 0\n"
    "   2: 0100007F:0016 0100007F:D2F4 01 00000000:00000000 02:000A1C6D 00000000     0        0 41520 2 0000000000000000 20 4 30 10 -1\n"
    "   3: 0200007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 88123 1 0000000000000000 100 0 0 10 0\n";

const char proc_tcp6[] =
    "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 18314 1 0000000000000000 100 0 0 10 0\n"
    "   1: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 18400 1 0000000000000000 100 0 0 10 0\n"
    "   2: B80D0120000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 18401 1 0000000000000000 100 0 0 10 0\n";

const char proc_udp[] =
    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
    "  221: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 17020 2 0000000000000000 0\n"
    "  300: 0100007F:A1B2 0100007F:0035 01 00000000:00000000 00:00000000 00000000  1000        0 99001 2 0000000000000000 0\n"
    "  512: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 17050 2 0000000000000000 0\n";

}  // namespace

TEST_GROUP(proc_net){};

TEST(proc_net, tcp_keeps_listeners_only) {
  STRCMP_EQUAL("tcp 0.0.0.0:22\ntcp 127.0.0.1:3306\ntcp 127.0.0.2:8080\n", proc(proc_tcp, false).c_str());
}

TEST(proc_net, tcp6_words_are_in_host_order) {
  STRCMP_EQUAL("tcp [::]:22\ntcp [2001:db8::1]:443\ntcp [::1]:631\n", proc(proc_tcp6, false).c_str());
}

TEST(proc_net, udp_keeps_sockets_without_a_peer) {
  STRCMP_EQUAL("udp 127.0.0.53:53\nudp 0.0.0.0:68\n", proc(proc_udp, true).c_str());
}

// A big-endian kernel prints the same address word as 7F000001.
TEST(proc_net, big_endian_tables) {
  const std::string t =
      "  sl  local_address rem_address   st\n"
      "   0: 7F000001:0019 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1\n";
  STRCMP_EQUAL("tcp 127.0.0.1:25\n", proc(t, false, false).c_str());
}

TEST(proc_net, malformed_rows_are_counted_and_skipped) {
  const std::string t =
      "  sl  local_address rem_address   st\n"
      "   0: 0100007G:0019 00000000:0000 0A\n"
      "   1: 0100007F:19 00000000:0000 0A\n"
      "   2 0100007F:0019 00000000:0000 0A\n"
      "   3: 0100007F:0019 00000000:0000\n"
      "   4: 0100007F:0019 00000000:0000 0A\n";
  proc_net_parser p(false, true);
  p.feed(t.data(), t.size());
  p.finish();
  LONGS_EQUAL(1, p.sockets().size());
  LONGS_EQUAL(4, p.malformed());
}

TEST_GROUP(netstat){};

TEST(netstat, solaris_sections) {
  const std::string t =
      "\nUDP: IPv4\n"
      "   Local Address        Remote Address      State\n"
      "-------------------- -------------------- ----------\n"
      "      *.111                                 Idle\n"
      "      *.*                                   Unbound\n"
      "127.0.0.1.161        127.0.0.1.40000      Connected\n"
      "\nTCP: IPv4\n"
      "   Local Address        Remote Address    Swind Send-Q Rwind Recv-Q    State\n"
      "-------------------- -------------------- ----- ------ ----- ------ -----------\n"
      "      *.22                 *.*                0      0 128000      0 LISTEN\n"
      "127.0.0.1.25               *.*                0      0 128000      0 LISTEN\n"
      "192.0.2.5.22         192.0.2.9.51000      64128      0 128872      0 ESTABLISHED\n"
      "\nTCP: IPv6\n"
      "   Local Address                     Remote Address                 Swind Send-Q Rwind Recv-Q   State      If\n"
      "--------------------------------- --------------------------------- ----- ------ ----- ------ ----------- -----\n"
      "      *.22                              *.*                             0      0 128000      0 LISTEN\n"
      "::1.631                                 *.*                             0      0 128000      0 LISTEN      \n"
      "\nUDP: IPv6\n"
      "   Local Address                     Remote Address                   State      If\n"
      "--------------------------------- --------------------------------- ---------- -----\n"
      "      *.546                                                          Idle\n"
      "fe80::1%net0.123                                                     Idle       net0\n"
      "\nSCTP:\n"
      "        Local Address                   Remote Address          Swind  Send-Q Rwind  Recv-Q StrsI/O  State\n"
      "0.0.0.0.9                                                       0      0      102400 0      32/32   LISTEN\n"
      "\nActive UNIX domain sockets\n"
      "Address  Type          Vnode     Conn  Local Addr      Remote Addr\n"
      "30003a4e788 stream-ord 00000000 00000000\n";
  STRCMP_EQUAL(
      "tcp 0.0.0.0:22\ntcp [::]:22\ntcp 127.0.0.1:25\ntcp [::1]:631\n"
      "udp 0.0.0.0:111\nudp [fe80::1]:123\nudp [::]:546\n",
      netstat(t).c_str());
}

TEST(netstat, aix_and_bsd_rows) {
  const std::string t =
      "Active Internet connections (including servers)\n"
      "Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)\n"
      "tcp4       0      0  *.22                   *.*                    LISTEN\n"
      "tcp6       0      0  *.22                   *.*                    LISTEN\n"
      "tcp        0      0  127.0.0.1.25           *.*                    LISTEN\n"
      "tcp4       0     52  192.0.2.5.22           192.0.2.9.50112        ESTABLISHED\n"
      "udp4       0      0  *.514                  *.*\n"
      "udp        0      0  127.0.0.1.53           127.0.0.1.1024\n"
      "udp6       0      0  ::1.161                *.*\n"
      "Active UNIX domain sockets\n"
      "SADR/PCB  Type   Recv-Q Send-Q   Inode     Conn     Refs     Nextref Addr\n"
      "f1000e00 dgram       0      0 f1000a00        0        0        0 /dev/.SRC-unix/SRCbvYBMd\n";
  STRCMP_EQUAL("tcp 0.0.0.0:22\ntcp [::]:22\ntcp 127.0.0.1:25\nudp [::1]:161\nudp 0.0.0.0:514\n",
               netstat(t).c_str());
}

TEST(netstat, linux_net_tools_rows) {
  const std::string t =
      "Active Internet connections (servers and established)\n"
      "Proto Recv-Q Send-Q Local Address           Foreign Address         State\n"
      "tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN\n"
      "tcp        0      0 127.0.0.1:5432          0.0.0.0:*               LISTEN\n"
      "tcp6       0      0 :::22                   :::*                    LISTEN\n"
      "udp        0      0 127.0.0.53:53           0.0.0.0:*\n"
      "udp6       0      0 [::1]:323               :::*\n";
  STRCMP_EQUAL("tcp 0.0.0.0:22\ntcp [::]:22\ntcp 127.0.0.1:5432\nudp 127.0.0.53:53\nudp [::1]:323\n",
               netstat(t).c_str());
}

TEST(netstat, endpoints) {
  asio::ip::address a;
  std::uint16_t port = 0;
  CHECK(parse_netstat_endpoint("::ffff:127.0.0.1.25", true, a, port));
  STRCMP_EQUAL("::ffff:127.0.0.1", a.to_string().c_str());
  LONGS_EQUAL(25, port);
  CHECK(parse_netstat_endpoint("*.22", false, a, port));
  STRCMP_EQUAL("0.0.0.0", a.to_string().c_str());
  CHECK_FALSE(parse_netstat_endpoint("*.*", false, a, port));
  CHECK_FALSE(parse_netstat_endpoint("127.0.0.1.65536", false, a, port));
  CHECK_FALSE(parse_netstat_endpoint("host.22", false, a, port));
  CHECK_FALSE(parse_netstat_endpoint("[::1]631", true, a, port));
  CHECK_FALSE(parse_netstat_endpoint(".22", false, a, port));
}
