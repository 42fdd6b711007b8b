"""The Chinese names buyers and agents see for complaint categories."""

CATEGORY_LABELS = {
    "quality_defect": "商品质量问题",
    "not_as_described": "商品与描述不符",
    "wrong_or_missing_item": "错发漏发",
    "logistics_delay": "物流延误",
    "logistics_lost": "快递丢件",
    "logistics_damaged": "运输破损",
    "not_shipped": "付款后未发货",
    "after_sales_unresolved": "售后未处理",
    "service_attitude": "服务态度",
    "false_advertising": "虚假宣传",
    "other": "其他问题",
}
