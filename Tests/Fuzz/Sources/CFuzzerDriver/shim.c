// The declarations are in include/CFuzzerDriver.h; libFuzzer's runtime defines them.
