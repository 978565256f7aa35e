#pragma once
// Debian ships cpp-httplib split: declarations in <httplib.h>, definitions in libcpp-httplib.so
// built with OpenSSL, zlib and Brotli support. Those options change class layouts
// (Request::ssl), so every includer must define them exactly as the library was built.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#ifndef CPPHTTPLIB_ZLIB_SUPPORT
#define CPPHTTPLIB_ZLIB_SUPPORT
#endif
#ifndef CPPHTTPLIB_BROTLI_SUPPORT
#define CPPHTTPLIB_BROTLI_SUPPORT
#endif
#include <httplib.h>
