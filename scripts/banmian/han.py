"""The one range of Han characters every rule uses (segment, bylines, clean, datelines).

CJK Unified Ideographs with Extension A, the compatibility block, and Extensions B–G (names such as
张𠀀明 use Extension B): a rule that misses them files a name as body text.
"""

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
