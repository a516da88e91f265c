"""The `newsqa` command: the outermost layer (cli -> api -> pipeline); nothing imports it."""
