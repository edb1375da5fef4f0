"""coocenter-api (ZYCOO CooCenter, Asterisk-based): wire models, client and adapter (import them from
their modules)."""
