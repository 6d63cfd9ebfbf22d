"""jixi-batch: 鸡西市外贸奖励兑现批处理. See README.md; `python process.py --help`."""
import sys

from jixi_batch.cli import main

if __name__ == "__main__":
    sys.exit(main())
