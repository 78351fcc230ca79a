# fishdelivery - GNU make.  `make run` and `make test` are the two commands;
# see README.md.  BUILD selects the output tree; SAN=1 builds with
# AddressSanitizer and UndefinedBehaviorSanitizer (as `make test` does too).

BUILD	?= build
PREFIX	?= /usr/local
DESTDIR	?=
CC	?= cc

PKGS	 = json-c libmariadb libsodium libmemcached
WARN	 = -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wshadow \
	   -Wpointer-arith -Wcast-qual -Werror
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -D_GNU_SOURCE -MMD -MP $(WARN) -Ilib \
	   $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS	 = -lfcgi $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcurl -lpthread
ifeq ($(HOOKS),1)
CFLAGS	+= -DFD_TEST_HOOKS
endif
ifeq ($(SAN),1)
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=address,undefined
endif

CONTEXTS = auth order payment fishstore delivery
LIB_SRC	 = $(wildcard lib/*.c)
LIB_OBJ	 = $(LIB_SRC:%.c=$(BUILD)/%.o)
LIBFD	 = $(BUILD)/libfd.a
PROGS	 = $(CONTEXTS:%=$(BUILD)/cgi-bin/%.fcgi)
# The pure domains, linked into the unit tests as they are.
DOMAIN_OBJ = $(BUILD)/cgi-bin/auth/auth_domain.o \
	     $(BUILD)/cgi-bin/fishstore/store_domain.o \
	     $(BUILD)/cgi-bin/fishstore/store_state.o \
	     $(BUILD)/cgi-bin/order/order_domain.o \
	     $(BUILD)/cgi-bin/order/order_charge.o \
	     $(BUILD)/cgi-bin/order/order_view_rules.o \
	     $(BUILD)/cgi-bin/payment/pay_domain.o \
	     $(BUILD)/cgi-bin/delivery/dlv_domain.o
UNIT	 = $(BUILD)/tests/unit_tests
INTEG	 = $(BUILD)/tests/integration_tests
BENCH	 = $(BUILD)/bench/bare_fcgi
RELAY	 = $(BUILD)/relay/relay

ctx_src	 = $(wildcard cgi-bin/$(1)/*.c)
ctx_obj	 = $(patsubst %.c,$(BUILD)/%.o,$(call ctx_src,$(1)))

.PHONY: all run stop status test check unit integration bench fuzz deps \
	install clean deploy cluster cluster-stop test-cluster FORCE \
	programs install-programs bench-cluster

# The build's name, shown by every program as fd_build_info in /metrics.
VERSION	?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)

all: $(PROGS) $(RELAY) $(UNIT) $(INTEG) $(BENCH)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# Rewritten only when VERSION changes, so a new name relinks the programs.
$(BUILD)/version.h: FORCE
	@mkdir -p $(@D)
	@echo '#define FD_VERSION "$(VERSION)"' >$@.new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi
$(BUILD)/lib/fd_metrics.o: $(BUILD)/version.h
$(BUILD)/lib/fd_metrics.o: CFLAGS += -I$(BUILD)

# The pages' shared words and site header, each in one file under ui/
# (scripts/ui.sh): the C table and /mypage's header in the build tree,
# FD_VOCAB beside the pages (not in git), and the header written into
# every page when ui/header.html changed (a hand edit of a page's copy
# stays, and `scripts/ui.sh check` in make test and make check fails).
UI_H	 = $(BUILD)/ui/ui_vocab.h $(BUILD)/ui/ui_header.h
$(BUILD)/ui/ui_vocab.h: ui/vocab.tsv scripts/ui.sh
	scripts/ui.sh vocab-h $@ && touch $@
$(BUILD)/ui/ui_header.h: ui/header.html scripts/ui.sh
	scripts/ui.sh header-h $@ && touch $@
htdocs/js/vocab.js: ui/vocab.tsv scripts/ui.sh
	scripts/ui.sh vocab-js $@ && touch $@
$(BUILD)/ui/pages.stamp: ui/header.html scripts/ui.sh
	scripts/ui.sh pages
	@touch $@
$(BUILD)/cgi-bin/order/order_mypage.o: $(UI_H)
$(BUILD)/cgi-bin/order/order_mypage.o: CFLAGS += -I$(BUILD)/ui
all: htdocs/js/vocab.js $(BUILD)/ui/pages.stamp

# Made afresh: ar would keep the object of a lib/ file renamed or removed
# since (a duplicate definition at link time).
$(LIBFD): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

define prog_rule
$(BUILD)/cgi-bin/$(1).fcgi: $(call ctx_obj,$(1)) $(LIBFD)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach c,$(CONTEXTS),$(eval $(call prog_rule,$(c))))

$(RELAY): $(patsubst %.c,$(BUILD)/%.o,$(wildcard relay/*.c)) $(LIBFD)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/cgi-bin/%.o: CFLAGS += -Icgi-bin/auth -Icgi-bin/fishstore -Icgi-bin/order

$(UNIT): $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/unit/*.c)) \
	    $(DOMAIN_OBJ) $(LIBFD)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcunit

$(BUILD)/tests/unit/%.o: CFLAGS += -Icgi-bin/auth -Icgi-bin/fishstore \
	-Icgi-bin/order -Icgi-bin/payment -Icgi-bin/delivery

$(INTEG): $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/integration/*.c)) \
	    $(LIBFD)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcunit

$(BENCH): $(BUILD)/bench/bare_fcgi.o
	$(CC) $(LDFLAGS) -o $@ $^ -lfcgi -lmemcached
# The cluster tests' order load (tests/cluster/run.sh); make's %: %.o.
all: $(BUILD)/tests/cluster/cluster_load
all: $(BUILD)/bench/order_load $(BUILD)/bench/commit_ceiling \
	$(BUILD)/bench/relay_bench	# make's %: %.o, $(LDLIBS)
# The live streams' load signs its customers' tokens (fd_jwt.c).
$(BUILD)/bench/push_bench: $(BUILD)/bench/push_bench.o $(LIBFD)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
all: $(BUILD)/bench/push_bench

# Installs the Debian packages that are missing (needs root or sudo).
deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/stack.sh start

stop:
	@scripts/stack.sh stop

# A new build into the running stack without dropping a request: see
# "Deploying" in README.md.
deploy:
	@$(MAKE) --no-print-directory all
	@scripts/stack.sh deploy

status:
	@scripts/stack.sh status

# Unit tests only: no servers.
check: all
	$(UNIT)
	scripts/ui.sh check
	tests/bench/report.sh

test: deps
	@scripts/test.sh

# fishdelivery on six hosts on this machine (network namespaces, a 3-node
# Galera cluster, HAProxy, two app hosts, the gateway): README, "Running
# on several machines".  Needs root.  test-cluster runs tests/cluster/.
cluster: deps
	@$(MAKE) --no-print-directory all
	@scripts/cluster.sh start

cluster-stop:
	@scripts/cluster.sh stop

test-cluster: deps
	@$(MAKE) --no-print-directory all
	@tests/cluster/run.sh

# make bench CASES="orders order_floor": some of bench/case/*.sh alone.
bench: deps
	@$(MAKE) --no-print-directory all
	@BENCH_BUILD=$(BUILD) bench/run.sh $(CASES)

# The cluster (scripts/cluster.sh, root) beside the single host, in one
# run: FD_CLUSTER_NAME and FD_CLUSTER_NET name its namespaces and subnet.
bench-cluster: deps
	@$(MAKE) --no-print-directory all
	@BENCH_BUILD=$(BUILD) bench/run.sh relay orders commit_ceiling \
	    order_floor cluster

fuzz: deps
	@fuzz/run.sh

install: all install-programs
	install -d $(DESTDIR)$(PREFIX)/share/fishdelivery
	cp -R htdocs sql etc $(DESTDIR)$(PREFIX)/share/fishdelivery

# The programs alone, without the tests' tools (CUnit): what
# etc/image/Dockerfile builds and installs into the image.
programs: $(PROGS) $(RELAY)
install-programs: programs
	install -d $(DESTDIR)$(PREFIX)/lib/fishdelivery/cgi-bin
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/lib/fishdelivery/cgi-bin
	install -m 755 $(RELAY) $(DESTDIR)$(PREFIX)/lib/fishdelivery/relay
	install -m 755 scripts/galera-check.sh \
	    $(DESTDIR)$(PREFIX)/lib/fishdelivery/galera-check.sh

clean:
	rm -rf build build-* htdocs/js/vocab.js

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
