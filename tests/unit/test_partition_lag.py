"""One rule for a partition's lag, shared by the consumers' gauges and the console's page."""

from operations.kafka_lag import partition_lag


def test_lag_is_what_lies_after_the_committed_offset():
    assert partition_lag(low=0, high=10, committed=4) == 6
    assert partition_lag(low=0, high=10, committed=10) == 0


def test_nothing_committed_counts_everything_still_on_the_partition():
    assert partition_lag(low=3, high=10, committed=None) == 7
    # An empty partition reports a low watermark of -1 before its first fetch.
    assert partition_lag(low=-1, high=0, committed=None) == 0


def test_a_commit_past_the_watermark_cached_before_it_is_no_lag_not_negative():
    assert partition_lag(low=0, high=5, committed=8) == 0
